using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Qmp;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Qmp;

public sealed class QmpClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectAsync_RecordedGreeting_ParsesVersionAndCapabilities()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        Assert.Equal(new QemuVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"), client.Greeting.Version);
        Assert.Equal("7.2.22", client.Greeting.Version.ToString());
        Assert.Equal(["oob"], client.Greeting.Capabilities);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_AfterGreeting_NegotiatesCapabilitiesBeforeReturning()
    {
        await using var server = new FakeQmpServer();
        var connecting = QmpClient.ConnectAsync(server.ClientStream, Patience, options: null, CancellationToken.None);
        await server.SendLineAsync(QmpTranscripts.Greeting);

        var command = await server.ReadCommandAsync();

        Assert.Equal("qmp_capabilities", command.GetProperty("execute").GetString());
        Assert.False(command.TryGetProperty("arguments", out _));
        Assert.False(connecting.IsCompleted);
        await server.ReplyAsync(command, "{}");
        await using var client = await connecting;
    }

    [Fact]
    public async Task ConnectAsync_CapabilitiesRejected_ThrowsQmpCommandException()
    {
        await using var server = new FakeQmpServer();
        var connecting = QmpClient.ConnectAsync(server.ClientStream, Patience, options: null, CancellationToken.None);
        await server.SendLineAsync(QmpTranscripts.Greeting);
        var command = await server.ReadCommandAsync();
        await server.SendLineAsync($$$"""{"id": {{{command.GetProperty("id")}}}, "error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}""");

        var error = await Assert.ThrowsAsync<QmpCommandException>(() => connecting);

        Assert.Equal("qmp_capabilities", error.Command);
    }

    [Fact]
    public async Task ConnectAsync_PeerIsNotQmp_ThrowsInvalidDataException()
    {
        await using var server = new FakeQmpServer();
        var connecting = QmpClient.ConnectAsync(server.ClientStream, Patience, options: null, CancellationToken.None);

        await server.SendLineAsync("""{"hello": "world"}""");

        await Assert.ThrowsAsync<InvalidDataException>(() => connecting);
    }

    [Fact]
    public async Task ConnectAsync_ClosedBeforeGreeting_ThrowsQmpDisconnectedException()
    {
        await using var server = new FakeQmpServer();
        var connecting = QmpClient.ConnectAsync(server.ClientStream, Patience, options: null, CancellationToken.None);

        await server.DisconnectAsync();

        await Assert.ThrowsAsync<QmpDisconnectedException>(() => connecting);
    }

    [Fact]
    public async Task ConnectAsync_NoGreetingWithinTimeout_ThrowsTimeoutException()
    {
        var time = new FakeTimeProvider();
        await using var server = new FakeQmpServer();
        var connecting = QmpClient.ConnectAsync(server.ClientStream, TimeSpan.FromSeconds(5), new QmpClientOptions { TimeProvider = time }, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(6));

        await Assert.ThrowsAsync<TimeoutException>(() => connecting);
        Assert.True(await server.ClientClosedAsync(), "a failed handshake must close the connection");
    }

    [Fact]
    public async Task ConnectAsync_SocketAppearsLater_RetriesUntilQemuListens()
    {
        var directory = Directory.CreateTempSubdirectory("hyperion-qmp-");
        try
        {
            var path = Path.Combine(directory.FullName, "qmp.sock");
            var connecting = QmpClient.ConnectAsync(path, Patience, CancellationToken.None);

            // Let a few attempts fail on the missing file before "QEMU" binds, as when QEMU is still starting.
            await Task.Delay(200);
            Assert.False(connecting.IsCompleted);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var accepted = await listener.AcceptAsync();
            await using var stream = new NetworkStream(accepted);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(QmpTranscripts.Greeting + "\r\n"));
            var reader = new QmpLineReader(stream, 4096);
            using var capabilities = JsonDocument.Parse((await reader.ReadLineAsync(CancellationToken.None))!.Value);
            await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"return": {}, "id": {{capabilities.RootElement.GetProperty("id")}}}""" + "\r\n"));

            await using var client = await connecting;

            Assert.Equal(7, client.Greeting.Version.Major);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ConnectAsync_NobodyListens_ThrowsTimeoutException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyperion-missing-{Guid.NewGuid():N}.sock");

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => QmpClient.ConnectAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RecordedQueryStatus_ReturnsReturnValue()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("query-status");
        var command = await server.ReadCommandAsync();
        await server.ReplyAsync(command, """{"status": "prelaunch", "singlestep": false, "running": false}""");
        var result = await executing;

        Assert.Equal("query-status", command.GetProperty("execute").GetString());
        Assert.Equal("prelaunch", result.GetProperty("status").GetString());
        Assert.False(result.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task ExecuteAsync_WithArguments_SendsArgumentsObject()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("device_del", new Dictionary<string, object> { ["id"] = "nic1", ["x-flag"] = true });
        var command = await server.ReadCommandAsync();
        await server.ReplyAsync(command, "{}");
        await executing;

        var arguments = command.GetProperty("arguments");
        Assert.Equal("nic1", arguments.GetProperty("id").GetString());
        Assert.True(arguments.GetProperty("x-flag").GetBoolean());
        Assert.Equal(JsonValueKind.Number, command.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task ExecuteAsync_RecordedErrorResponse_ThrowsQmpCommandExceptionWithClassAndDescription()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("no-such-command");
        var command = await server.ReadCommandAsync();
        await server.SendLineAsync($$$"""{"id": {{{command.GetProperty("id")}}}, "error": {"class": "CommandNotFound", "desc": "The command no-such-command has not been found"}}""");
        var error = await Assert.ThrowsAsync<QmpCommandException>(() => executing);

        Assert.Equal("no-such-command", error.Command);
        Assert.Equal("CommandNotFound", error.Class);
        Assert.Equal("The command no-such-command has not been found", error.Description);
        Assert.Contains("no-such-command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_RecordedResetEvents_DeliveredWithDataAndTimestamp()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var resetting = client.SystemResetAsync();
        await server.ReadCommandAsync();
        await server.ReplayAsync(QmpTranscripts.ResetEvents.Replace("\"id\": 11", "\"id\": 2", StringComparison.Ordinal));
        await resetting;
        var first = await client.Events.ReadAsync();
        var second = await client.Events.ReadAsync();

        Assert.Equal("RESET", first.Name);
        Assert.False(first.Data.GetProperty("guest").GetBoolean());
        Assert.Equal("host-qmp-system-reset", first.Data.GetProperty("reason").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795432938).AddTicks(160724 * TimeSpan.TicksPerMicrosecond), first.Timestamp);
        Assert.Equal("guest-reset", second.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Events_EventWithoutData_HasEmptyDataObject()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        await server.SendLineAsync("""{"timestamp": {"seconds": 1795432936, "microseconds": 556203}, "event": "STOP"}""");
        var stop = await client.Events.ReadAsync();

        Assert.Equal("STOP", stop.Name);
        Assert.Equal(JsonValueKind.Object, stop.Data.ValueKind);
        Assert.Empty(stop.Data.EnumerateObject());
    }

    [Fact]
    public async Task ExecuteAsync_EventBeforeResponse_ReturnsResponseAndDeliversEvent()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var resuming = client.ContAsync();
        var command = await server.ReadCommandAsync();
        await server.SendLineAsync("""{"timestamp": {"seconds": 1795432936, "microseconds": 253128}, "event": "RESUME"}""");
        await server.ReplyAsync(command, "{}");
        await resuming;

        Assert.True(client.Events.TryRead(out var resume));
        Assert.Equal("RESUME", resume.Name);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentCallsAnsweredOutOfOrder_MatchesAnswersById()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var status = client.ExecuteAsync("query-status");
        var version = client.ExecuteAsync("query-version");
        var first = await server.ReadCommandAsync();
        var second = await server.ReadCommandAsync();
        var (statusCommand, versionCommand) = first.GetProperty("execute").GetString() == "query-status" ? (first, second) : (second, first);
        await server.ReplyAsync(versionCommand, """{"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}""");
        await server.ReplyAsync(statusCommand, """{"status": "running", "singlestep": false, "running": true}""");

        Assert.Equal(7, (await version).GetProperty("qemu").GetProperty("major").GetInt32());
        Assert.Equal("running", (await status).GetProperty("status").GetString());
        Assert.NotEqual(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentCallers_EachGetsItsOwnAnswer()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var calls = Enumerable.Range(0, 50).Select(i => client.ExecuteAsync("echo", new { value = i })).ToList();
        var commands = new List<JsonElement>();
        for (var i = 0; i < calls.Count; i++)
        {
            commands.Add(await server.ReadCommandAsync());
        }

        // Answer in reverse so no answer lines up with its request by position.
        commands.Reverse();
        foreach (var command in commands)
        {
            await server.ReplyAsync(command, command.GetProperty("arguments").GetRawText());
        }

        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(i, (await calls[i]).GetProperty("value").GetInt32());
        }
    }

    [Fact]
    public async Task ExecuteAsync_NoAnswerWithinTimeout_ThrowsTimeoutExceptionNamingCommand()
    {
        var time = new FakeTimeProvider();
        var (server, client) = await FakeQmpServer.ConnectClientAsync(new QmpClientOptions { TimeProvider = time });
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("query-status", timeout: TimeSpan.FromSeconds(5));
        var command = await server.ReadCommandAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => executing);

        Assert.Contains("query-status", error.Message, StringComparison.Ordinal);

        // The late answer is dropped and the session keeps working.
        await server.ReplyAsync(command, """{"status": "running", "singlestep": false, "running": true}""");
        var next = client.QueryStatusAsync();
        await server.ReplyAsync(await server.ReadCommandAsync(), """{"status": "paused", "singlestep": false, "running": false}""");
        Assert.Equal(new QmpStatus(false, "paused"), await next);
    }

    [Fact]
    public async Task ExecuteAsync_NoTimeoutGiven_UsesDefaultCommandTimeout()
    {
        var time = new FakeTimeProvider();
        var (server, client) = await FakeQmpServer.ConnectClientAsync(new QmpClientOptions { TimeProvider = time, DefaultCommandTimeout = TimeSpan.FromSeconds(30) });
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("query-status");
        await server.ReadCommandAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(executing.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => executing);
    }

    [Fact]
    public async Task ExecuteAsync_Canceled_ThrowsOperationCanceledException()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;
        using var cancellation = new CancellationTokenSource();

        var executing = client.ExecuteAsync("query-status", cancellationToken: cancellation.Token);
        await server.ReadCommandAsync();
        await cancellation.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executing);

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Disconnect_CommandsPending_FailWithQmpDisconnectedExceptionAndCompleteCompletionAndEvents()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var first = client.ExecuteAsync("query-status");
        var second = client.ExecuteAsync("query-version");
        await server.ReadCommandAsync();
        await server.ReadCommandAsync();
        await server.DisconnectAsync();

        var error = await Assert.ThrowsAsync<QmpDisconnectedException>(() => first);
        await Assert.ThrowsAsync<QmpDisconnectedException>(() => second);
        await client.Completion.WaitAsync(Patience);
        await client.Events.Completion.WaitAsync(Patience);
        Assert.False(client.IsConnected);
        Assert.Contains("query-status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_AfterDisconnect_ThrowsQmpDisconnectedException()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;
        await server.DisconnectAsync();
        await client.Completion.WaitAsync(Patience);

        await Assert.ThrowsAsync<QmpDisconnectedException>(() => client.ExecuteAsync("query-status"));
    }

    [Fact]
    public async Task DisposeAsync_CommandPending_FailsItAndCompletes()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;

        var executing = client.ExecuteAsync("query-status");
        await server.ReadCommandAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<QmpDisconnectedException>(() => executing);
        Assert.True(client.Completion.IsCompleted);
        Assert.True(await server.ClientClosedAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ExecuteAsync("query-status"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task ExecuteAsync_MessagesSplitAcrossReads_ParsesWholeSession(int chunkSize)
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync(maxReadChunk: chunkSize);
        await using var _ = server;
        await using var __ = client;

        var executing = client.ContAsync();
        var command = await server.ReadCommandAsync();
        var id = command.GetProperty("id").GetRawText();

        // Event and answer in one write, then read back in small slices: boundaries fall mid-line.
        await server.SendRawAsync(Encoding.UTF8.GetBytes(
            "{\"timestamp\": {\"seconds\": 1795432936, \"microseconds\": 253128}, \"event\": \"RESUME\"}\r\n" +
            $"{{\"return\": {{}}, \"id\": {id}}}\r\n"));
        await executing;

        Assert.Equal("RESUME", (await client.Events.ReadAsync()).Name);
    }

    [Fact]
    public async Task ExecuteAsync_AnswerSplitAcrossWrites_WaitsForWholeLine()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var executing = client.QueryStatusAsync();
        var command = await server.ReadCommandAsync();
        var answer = Encoding.UTF8.GetBytes($$"""{"return": {"status": "running", "singlestep": false, "running": true}, "id": {{command.GetProperty("id")}}}""" + "\r\n");
        await server.SendRawAsync(answer[..20]);
        await Task.Yield();
        Assert.False(executing.IsCompleted);
        await server.SendRawAsync(answer[20..]);

        Assert.Equal(new QmpStatus(true, "running"), await executing);
    }

    [Fact]
    public async Task ReadLoop_MalformedLine_SkipsItAndKeepsSession()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var executing = client.ExecuteAsync("query-status");
        var command = await server.ReadCommandAsync();
        await server.SendLineAsync("{not json");
        await server.SendLineAsync(string.Empty);
        await server.ReplyAsync(command, """{"status": "running", "singlestep": false, "running": true}""");

        Assert.Equal("running", (await executing).GetProperty("status").GetString());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task QuitAsync_ConnectionClosesBeforeAnswer_Succeeds()
    {
        var (server, client) = await FakeQmpServer.ConnectClientAsync();
        await using var _ = server;
        await using var __ = client;

        var quitting = client.QuitAsync();
        await server.ReadCommandAsync();
        await server.DisconnectAsync();

        await quitting;
        await client.Completion.WaitAsync(Patience);
    }

    [Fact]
    public async Task Replay_RecordedFullSession_TypedHelpersAndEventsMatchQemu()
    {
        await using var server = new FakeQmpServer();
        var replaying = server.ReplayAsync(QmpTranscripts.FullSession);
        await using var client = await QmpClient.ConnectAsync(server.ClientStream, Patience, options: null, CancellationToken.None);

        Assert.Equal(new QmpStatus(false, "prelaunch"), await client.QueryStatusAsync());
        Assert.Equal(new QemuVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3"), await client.QueryVersionAsync());
        await client.ContAsync();
        Assert.Equal(new QmpStatus(true, "running"), await client.QueryStatusAsync());
        await client.StopAsync();
        Assert.Equal(new QmpStatus(false, "paused"), await client.QueryStatusAsync());
        var notFound = await Assert.ThrowsAsync<QmpCommandException>(() => client.ExecuteAsync("no-such-command"));
        var badArgument = await Assert.ThrowsAsync<QmpCommandException>(() => client.ExecuteAsync("query-status", new { bogus = 1 }));
        await client.ContAsync();
        await client.SystemPowerdownAsync();
        await client.SystemResetAsync();
        await client.QuitAsync();
        await client.Completion.WaitAsync(Patience);
        await replaying;
        var events = new List<QmpEvent>();
        await foreach (var e in client.Events.ReadAllAsync())
        {
            events.Add(e);
        }

        Assert.Equal("CommandNotFound", notFound.Class);
        Assert.Equal("GenericError", badArgument.Class);
        Assert.Equal("Parameter 'bogus' is unexpected", badArgument.Description);
        Assert.Equal(["RESUME", "STOP", "RESUME", "POWERDOWN", "RESET", "RESET", "RESET", "SHUTDOWN"], events.Select(e => e.Name));
        Assert.Equal("host-qmp-quit", events[^1].Data.GetProperty("reason").GetString());
    }
}
