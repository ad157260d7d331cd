using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.GuestAgent;

/// <summary>
/// A guest agent on a real unix socket: reads newline-terminated requests (a leading 0xFF is the client's parser flush)
/// and writes what <see cref="Answer"/> returns for each; null writes nothing (a hung agent).
/// </summary>
internal sealed class FakeGuestAgent : IAsyncDisposable
{
    private readonly TestDirectory _dir = new("hy-qga");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeGuestAgent(Func<string, JsonElement?, byte[]?> answer)
    {
        Answer = answer;
        SocketPath = _dir.Combine("qga.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    /// <summary>(command, arguments) → bytes to write.</summary>
    public Func<string, JsonElement?, byte[]?> Answer { get; set; }

    public List<string> Commands { get; } = [];

    public bool Saw(string command)
    {
        lock (Commands)
        {
            return Commands.Contains(command);
        }
    }

    /// <summary>What qemu-ga writes for guest-sync-delimited: 0xFF, then the echo.</summary>
    public static byte[] SyncEcho(JsonElement? arguments, string before = "") =>
        [.. Encoding.UTF8.GetBytes(before), 0xFF, .. Encoding.UTF8.GetBytes($"{{\"return\": {arguments!.Value.GetProperty("id").GetInt64()}}}\n")];

    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text + "\n");

    /// <summary>Answers like the tiny guest's responder.</summary>
    public static byte[]? Standard(string command, JsonElement? arguments) => command switch
    {
        "guest-sync-delimited" => SyncEcho(arguments),
        "guest-ping" => Json("{\"return\": {}}"),
        "guest-info" => Json("{\"return\": {\"version\": \"9.9.9\", \"supported_commands\": [{\"name\": \"guest-ping\", \"enabled\": true}]}}"),
        "guest-get-host-name" => Json("{\"return\": {\"host-name\": \"web01\"}}"),
        _ => Json($"{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"The command {command} has not been found\"}}}}"),
    };

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client);
        var line = new List<byte>();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                foreach (var b in buffer.Take(n).ToArray())
                {
                    if (b == 0xFF)
                    {
                        line.Clear();
                    }
                    else if (b == (byte)'\n')
                    {
                        using var request = JsonDocument.Parse(line.ToArray());
                        line.Clear();
                        var command = request.RootElement.GetProperty("execute").GetString()!;
                        JsonElement? arguments = request.RootElement.TryGetProperty("arguments", out var a) ? a.Clone() : null;
                        lock (Commands)
                        {
                            Commands.Add(command);
                        }

                        if (Answer(command, arguments) is { } reply)
                        {
                            await stream.WriteAsync(reply, _stop.Token);
                        }
                    }
                    else
                    {
                        line.Add(b);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
        _dir.Dispose();
    }
}
