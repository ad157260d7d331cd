using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Hyperion.Bench.Migration;

/// <summary>
/// A bare QMP client for the raw baseline: one unix socket, the greeting, <c>qmp_capabilities</c>, then one command at a
/// time; events read meanwhile are kept with QEMU's timestamps (<see cref="Events"/>). Deliberately not Hyperion's QMP
/// client, so the baseline shares no code with what it measures.
/// </summary>
internal sealed class QmpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private long _nextId;

    /// <summary>The events read so far (while waiting for command replies), with QEMU's own timestamps.</summary>
    public List<(string Name, DateTimeOffset At)> Events { get; } = [];

    private QmpConnection(Socket socket)
    {
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>Connects once QEMU has created <paramref name="path"/> (it does so early in its start-up).</summary>
    public static async Task<QmpConnection> ConnectAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                var qmp = new QmpConnection(socket);
                await qmp.ReadMessageAsync(cancellationToken); // {"QMP": {...}}
                await qmp.ExecuteAsync("qmp_capabilities", null, cancellationToken);
                return qmp;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(50, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    /// <summary>Runs <paramref name="command"/> and returns its <c>return</c> value; a QMP error throws with its description.</summary>
    public async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var request = new JsonObject { ["execute"] = command, ["id"] = id };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        await _writer.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken);
        while (true)
        {
            var message = await ReadMessageAsync(cancellationToken);
            if (message["event"] is { } name)
            {
                var stamp = message["timestamp"];
                var at = DateTimeOffset.FromUnixTimeSeconds(stamp?["seconds"]?.GetValue<long>() ?? 0)
                    .AddTicks((stamp?["microseconds"]?.GetValue<long>() ?? 0) * TimeSpan.TicksPerMicrosecond);
                Events.Add(((string)name!, at));
                continue;
            }

            if (message["id"]?.GetValue<long>() != id)
            {
                continue;
            }

            if (message["error"] is { } error)
            {
                throw new InvalidOperationException($"QMP {command}: {error["class"]}: {error["desc"]}");
            }

            return message["return"];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _reader.Dispose();
        _socket.Dispose();
    }

    private async Task<JsonObject> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new IOException("QMP connection closed");
        return JsonNode.Parse(line) as JsonObject ?? throw new IOException($"QMP sent {line}");
    }
}
