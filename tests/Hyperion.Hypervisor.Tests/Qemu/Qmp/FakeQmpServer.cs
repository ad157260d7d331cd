using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Tests.Qemu.Qmp;

/// <summary>QEMU's side of an in-memory QMP connection: sends recorded lines, reads what the client sends.</summary>
internal sealed class FakeQmpServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);

    private readonly Pipe _toClient = new();
    private readonly Pipe _toServer = new();
    private readonly Stream _commandStream;
    private readonly QmpLineReader _commands;

    /// <param name="maxReadChunk">Most bytes the client gets per read; small values split messages mid-line.</param>
    public FakeQmpServer(int maxReadChunk = int.MaxValue)
    {
        ClientStream = new DuplexPipeStream(_toClient.Reader, _toServer.Writer, maxReadChunk);
        _commandStream = _toServer.Reader.AsStream();
        _commands = new QmpLineReader(_commandStream, 1 << 20);
    }

    /// <summary>Give this to <c>QmpClient.ConnectAsync(Stream, ...)</c>.</summary>
    public Stream ClientStream { get; }

    /// <summary>Connects a client: sends the recorded greeting and accepts qmp_capabilities.</summary>
    public static async Task<(FakeQmpServer Server, QmpClient Client)> ConnectClientAsync(QmpClientOptions? options = null, int maxReadChunk = int.MaxValue)
    {
        var server = new FakeQmpServer(maxReadChunk);
        var connecting = QmpClient.ConnectAsync(server.ClientStream, TimeSpan.FromSeconds(10), options, CancellationToken.None);
        await server.SendLineAsync(QmpTranscripts.Greeting);
        var capabilities = await server.ReadCommandAsync();
        await server.SendLineAsync($$"""{"return": {}, "id": {{capabilities.GetProperty("id").GetRawText()}}}""");
        return (server, await connecting);
    }

    /// <summary>Sends one message terminated with CRLF, as QEMU does.</summary>
    public Task SendLineAsync(string json) => SendRawAsync(Encoding.UTF8.GetBytes(json + "\r\n"));

    public async Task SendRawAsync(byte[] bytes) => await _toClient.Writer.WriteAsync(bytes);

    /// <summary>Answers a command read with <see cref="ReadCommandAsync"/>.</summary>
    public Task ReplyAsync(JsonElement command, string returnJson) =>
        SendLineAsync($$"""{"return": {{returnJson}}, "id": {{command.GetProperty("id").GetRawText()}}}""");

    /// <summary>The next command the client sent; fails rather than hanging if none comes.</summary>
    public async Task<JsonElement> ReadCommandAsync()
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        var line = await _commands.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("The client closed the connection instead of sending a command.");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    /// <summary>True once the client has closed its end.</summary>
    public async Task<bool> ClientClosedAsync()
    {
        using var timeout = new CancellationTokenSource(ReadLimit);
        return await _commands.ReadLineAsync(timeout.Token) is null;
    }

    /// <summary>Closes QEMU's side, as when QEMU exits.</summary>
    public Task DisconnectAsync() => _toClient.Writer.CompleteAsync().AsTask();

    /// <summary>
    /// Plays QEMU's part of a recorded transcript: sends its "S:" lines, and for each "C:" line waits for the
    /// client's command, checks it is the same command, and rewrites the recorded id to the client's id in the answers.
    /// </summary>
    public async Task ReplayAsync(string transcript)
    {
        var ids = new Dictionary<string, string>();
        foreach (var raw in transcript.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                var expected = JsonNode.Parse(line[3..])!;
                var actual = await ReadCommandAsync();
                var expectedCommand = expected["execute"]!.GetValue<string>();
                var actualCommand = actual.GetProperty("execute").GetString();
                if (expectedCommand != actualCommand)
                {
                    throw new InvalidOperationException($"Transcript expected '{expectedCommand}' but the client sent '{actualCommand}'.");
                }

                ids[expected["id"]!.ToJsonString()] = actual.GetProperty("id").GetRawText();
            }
            else if (line.StartsWith("S: ", StringComparison.Ordinal))
            {
                var message = JsonNode.Parse(line[3..])!.AsObject();
                if (message["id"] is { } id && ids.TryGetValue(id.ToJsonString(), out var clientId))
                {
                    message["id"] = JsonNode.Parse(clientId);
                }

                await SendLineAsync(message.ToJsonString());
            }
            else if (line == "# EOF")
            {
                await DisconnectAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toClient.Writer.CompleteAsync();
        await _commandStream.DisposeAsync();
        await ClientStream.DisposeAsync();
    }
}
