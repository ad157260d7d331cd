using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>
/// The qemu-ga protocol over the unix socket QEMU serves for the VM's <c>org.qemu.guest_agent.0</c> port. Every call
/// opens a connection and synchronises first, as the protocol asks of a new client: a 0xFF byte (flushes the agent's
/// parser), <c>guest-sync-delimited</c> with a random id, then everything up to the agent's 0xFF sentinel is discarded
/// and answers are read until the one echoing that id. Each step has <see cref="GuestAgentClientOptions.CallTimeout"/>.
/// </summary>
public sealed class GuestAgentClient : IGuestAgentClient
{
    private readonly GuestAgentClientOptions _options;

    public GuestAgentClient(GuestAgentClientOptions? options = null)
    {
        _options = options ?? new GuestAgentClientOptions();
        _options.Validate();
    }

    public async Task PingAsync(string socketPath, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(socketPath, cancellationToken);
        (await session.ExecuteAsync("guest-ping", cancellationToken)).Dispose();
    }

    public async Task<GuestAgentInfo> ProbeAsync(string socketPath, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(socketPath, cancellationToken);
        (await session.ExecuteAsync("guest-ping", cancellationToken)).Dispose();
        using var info = await session.ExecuteAsync("guest-info", cancellationToken);
        var version = info.RootElement.GetProperty("return") is { ValueKind: JsonValueKind.Object } ret && ret.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new GuestAgentException("guest-info answered without a version");
        string? hostName = null;
        try
        {
            using var host = await session.ExecuteAsync("guest-get-host-name", cancellationToken);
            if (host.RootElement.GetProperty("return") is { ValueKind: JsonValueKind.Object } h && h.TryGetProperty("host-name", out var n) && n.ValueKind == JsonValueKind.String)
            {
                hostName = n.GetString();
            }
        }
        catch (GuestAgentException ex) when (ex.Class.Length > 0)
        {
            // An agent without the command (or with it blocked) still answered: the host name is only for display.
        }

        return new GuestAgentInfo(version, hostName);
    }

    private async Task<Session> OpenAsync(string socketPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await WithTimeoutAsync("connect", async ct =>
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return true;
            }, cancellationToken);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new GuestAgentException($"cannot connect to the guest agent channel: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var session = new Session(this, new NetworkStream(socket, ownsSocket: true));
        try
        {
            await session.SyncAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task<T> WithTimeoutAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.CallTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GuestAgentException($"the guest agent did not answer {what} within {_options.CallTimeout.TotalSeconds:0.###} s", new TimeoutException(ex.Message, ex));
        }
        catch (IOException ex)
        {
            throw new GuestAgentException($"the guest agent channel failed during {what}: {ex.Message}", ex);
        }
    }

    private sealed class Session(GuestAgentClient client, NetworkStream stream) : IAsyncDisposable
    {
        private readonly GuestAgentReader _reader = new(stream, client._options.MaxReplyBytes);

        public async Task SyncAsync(CancellationToken cancellationToken)
        {
            var id = Random.Shared.NextInt64(1, 1L << 53);
            var request = Encoding.UTF8.GetBytes($"{{\"execute\":\"guest-sync-delimited\",\"arguments\":{{\"id\":{id.ToString(CultureInfo.InvariantCulture)}}}}}\n");
            _ = await client.WithTimeoutAsync("guest-sync-delimited", async ct =>
            {
                await stream.WriteAsync(new[] { GuestAgentReader.Sentinel }, ct);
                await stream.WriteAsync(request, ct);
                while (true)
                {
                    await _reader.SkipToSentinelAsync(ct);
                    using var answer = await _reader.ReadObjectAsync(ct);
                    if (answer.RootElement.ValueKind == JsonValueKind.Object
                        && answer.RootElement.TryGetProperty("return", out var echoed)
                        && echoed.ValueKind == JsonValueKind.Number
                        && echoed.TryGetInt64(out var got)
                        && got == id)
                    {
                        return true;
                    }

                    // A stale answer of an earlier client: keep reading until ours.
                }
            }, cancellationToken);
        }

        public async Task<JsonDocument> ExecuteAsync(string command, CancellationToken cancellationToken)
        {
            var request = Encoding.UTF8.GetBytes($"{{\"execute\":\"{command}\"}}\n");
            var answer = await client.WithTimeoutAsync(command, async ct =>
            {
                await stream.WriteAsync(request, ct);
                return await _reader.ReadObjectAsync(ct);
            }, cancellationToken);
            var root = answer.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("return", out _))
            {
                return answer;
            }

            using (answer)
            {
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var errorClass = error.TryGetProperty("class", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "GenericError";
                    var description = error.TryGetProperty("desc", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty;
                    throw new GuestAgentException($"the guest agent refused {command}: {errorClass}: {description}", errorClass);
                }

                throw new GuestAgentException($"the guest agent answered {command} with neither return nor error");
            }
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
