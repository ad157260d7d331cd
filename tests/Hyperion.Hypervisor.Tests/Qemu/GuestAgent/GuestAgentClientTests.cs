using Hyperion.Hypervisor.Qemu.GuestAgent;
using Hyperion.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.GuestAgent;

/// <summary>The qemu-ga protocol against a fake agent on a real unix socket: sync, stale data, errors, timeouts on fake time.</summary>
public sealed class GuestAgentClientTests
{
    [Fact]
    public async Task Probe_StandardAgent_SyncsPingsAndReadsVersionAndHostName()
    {
        await using var agent = new FakeGuestAgent(FakeGuestAgent.Standard);
        var info = await new GuestAgentClient().ProbeAsync(agent.SocketPath, CancellationToken.None);

        Assert.Equal(new GuestAgentInfo("9.9.9", "web01"), info);
        Assert.Equal(["guest-sync-delimited", "guest-ping", "guest-info", "guest-get-host-name"], agent.Commands);
    }

    [Fact]
    public async Task Ping_GarbageAndStaleAnswersBeforeTheSentinel_AreSkipped()
    {
        // Stale bytes of an earlier client (half an answer, a whole one) precede the sentinel; a stale sync echo with
        // another id follows it: only the echo of our id completes the sync.
        await using var agent = new FakeGuestAgent((command, arguments) => command == "guest-sync-delimited"
            ? [.. "{\"return\": {\"ver"u8, .. "}}\n{\"return\": {}}\n"u8, 0xFF, .. "{\"return\": 12}\n"u8, .. FakeGuestAgent.SyncEcho(arguments, "garbage {\"x\": \"}\"")]
            : FakeGuestAgent.Standard(command, arguments));

        await new GuestAgentClient().PingAsync(agent.SocketPath, CancellationToken.None);
        Assert.Equal(["guest-sync-delimited", "guest-ping"], agent.Commands);
    }

    [Fact]
    public async Task Ping_AnswerSplitAcrossWritesAndBracesInStrings_IsFramedWhole()
    {
        await using var agent = new FakeGuestAgent((command, arguments) => command == "guest-ping"
            ? FakeGuestAgent.Json("{\"return\": {\"note\": \"a } brace and \\\" quote {\"}}")
            : FakeGuestAgent.Standard(command, arguments));

        await new GuestAgentClient().PingAsync(agent.SocketPath, CancellationToken.None);
    }

    [Fact]
    public async Task Probe_ErrorReplyToGuestInfo_ThrowsWithTheAgentsClass()
    {
        await using var agent = new FakeGuestAgent((command, arguments) => command == "guest-info"
            ? FakeGuestAgent.Json("{\"error\": {\"class\": \"GenericError\", \"desc\": \"blocked\"}}")
            : FakeGuestAgent.Standard(command, arguments));

        var ex = await Assert.ThrowsAsync<GuestAgentException>(() => new GuestAgentClient().ProbeAsync(agent.SocketPath, CancellationToken.None));
        Assert.Equal("GenericError", ex.Class);
        Assert.Contains("blocked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_HostNameNotSupported_StillAnswersWithoutIt()
    {
        await using var agent = new FakeGuestAgent((command, arguments) => command == "guest-get-host-name"
            ? FakeGuestAgent.Json("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no\"}}")
            : FakeGuestAgent.Standard(command, arguments));

        Assert.Equal(new GuestAgentInfo("9.9.9", null), await new GuestAgentClient().ProbeAsync(agent.SocketPath, CancellationToken.None));
    }

    [Fact]
    public async Task Ping_AgentNeverAnswersTheSync_TimesOutOnTheClientsClock()
    {
        var time = new FakeTimeProvider();
        await using var agent = new FakeGuestAgent((_, _) => null);
        var client = new GuestAgentClient(new GuestAgentClientOptions { CallTimeout = TimeSpan.FromSeconds(2), TimeProvider = time });

        var ping = client.PingAsync(agent.SocketPath, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(agent.Saw("guest-sync-delimited")), TimeSpan.FromSeconds(10), "the sync sent");
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(ping.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));

        var ex = await Assert.ThrowsAsync<GuestAgentException>(() => ping);
        Assert.True(ex.TimedOut, ex.ToString());
        Assert.Contains("guest-sync-delimited", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_AgentSyncsButNeverAnswersThePing_TimesOut()
    {
        var time = new FakeTimeProvider();
        await using var agent = new FakeGuestAgent((command, arguments) => command == "guest-ping" ? null : FakeGuestAgent.Standard(command, arguments));
        var client = new GuestAgentClient(new GuestAgentClientOptions { TimeProvider = time });

        var ping = client.PingAsync(agent.SocketPath, CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(agent.Saw("guest-ping")), TimeSpan.FromSeconds(10), "the ping sent");
        time.Advance(TimeSpan.FromSeconds(3));

        var ex = await Assert.ThrowsAsync<GuestAgentException>(() => ping);
        Assert.True(ex.TimedOut, ex.ToString());
        Assert.Contains("guest-ping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_NoSocket_ThrowsGuestAgentException()
    {
        using var dir = new Hyperion.Testing.TestDirectory();
        var ex = await Assert.ThrowsAsync<GuestAgentException>(() => new GuestAgentClient().PingAsync(dir.Combine("missing.sock"), CancellationToken.None));
        Assert.False(ex.TimedOut);
    }

    [Fact]
    public async Task Ping_AgentClosesTheChannel_ThrowsGuestAgentException()
    {
        await using var agent = new FakeGuestAgent((_, _) => throw new IOException("gone"));
        await Assert.ThrowsAsync<GuestAgentException>(() => new GuestAgentClient().PingAsync(agent.SocketPath, CancellationToken.None));
    }
}
