using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>
/// An asynchronous QMP (QEMU Machine Protocol) client over one connection. Commands may be issued
/// concurrently: writes are serialized and answers are matched to callers by the <c>id</c> QEMU echoes back,
/// so a slow command never blocks the answers of others and events may arrive between them.
/// </summary>
public sealed partial class QmpClient : IQmpClient
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly Stream _stream;
    private readonly QmpLineReader _reader;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _defaultCommandTimeout;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingCommand> _pending = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly CancellationToken _shutdownToken;
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;
    private Exception? _disconnectReason;
    private int _disposed;

    private QmpClient(Stream stream, QmpClientOptions options)
    {
        _stream = stream;
        _reader = new QmpLineReader(stream, options.MaxLineBytes);
        _logger = options.Logger ?? NullLogger.Instance;
        _timeProvider = options.TimeProvider;
        _defaultCommandTimeout = options.DefaultCommandTimeout;
        _shutdownToken = _shutdown.Token;
        Greeting = new QmpGreeting(new QemuVersion(0, 0, 0, string.Empty), []);
    }

    public QmpGreeting Greeting { get; private set; }

    public ChannelReader<QmpEvent> Events => _events.Reader;

    public Task Completion => _completion.Task;

    public bool IsConnected => Volatile.Read(ref _disconnectReason) is null;

    /// <summary>
    /// Connects to QEMU's QMP unix socket, reads the greeting and negotiates capabilities. Keeps retrying while
    /// the socket does not exist yet or refuses connections, because QEMU may still be starting.
    /// </summary>
    /// <param name="timeout">Bounds the whole handshake, retries included.</param>
    /// <exception cref="TimeoutException">QEMU did not become reachable and answer within <paramref name="timeout"/>.</exception>
    public static Task<QmpClient> ConnectAsync(string unixSocketPath, TimeSpan timeout, CancellationToken cancellationToken) =>
        ConnectAsync(unixSocketPath, timeout, options: null, cancellationToken);

    /// <inheritdoc cref="ConnectAsync(string, TimeSpan, CancellationToken)"/>
    public static async Task<QmpClient> ConnectAsync(string unixSocketPath, TimeSpan timeout, QmpClientOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(unixSocketPath);
        options ??= new QmpClientOptions();
        options.Validate();
        using var timeoutSource = new CancellationTokenSource(timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        Exception? lastError = null;
        try
        {
            var stream = await ConnectSocketAsync(unixSocketPath, options, error => lastError = error, linked.Token);
            return await HandshakeAsync(stream, options, linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var why = lastError is null ? string.Empty : $" (last error: {lastError.Message})";
            throw new TimeoutException($"QMP socket '{unixSocketPath}' did not complete the handshake within {timeout}{why}.", lastError);
        }
    }

    /// <summary>Runs the handshake over an already-connected stream; the client owns the stream from here on.</summary>
    internal static async Task<QmpClient> ConnectAsync(Stream stream, TimeSpan timeout, QmpClientOptions? options, CancellationToken cancellationToken)
    {
        options ??= new QmpClientOptions();
        options.Validate();
        using var timeoutSource = new CancellationTokenSource(timeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await HandshakeAsync(stream, options, linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP handshake did not complete within {timeout}.");
        }
    }

    public async Task<JsonElement> ExecuteAsync(string command, object? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var effectiveTimeout = timeout ?? _defaultCommandTimeout;
        var id = Interlocked.Increment(ref _nextId);
        var pending = new PendingCommand(command);
        _pending[id] = pending;

        // The read loop publishes the reason before draining _pending, so a command registered after the
        // drain sees the reason here and a command registered before it is failed by the drain.
        if (Volatile.Read(ref _disconnectReason) is { } reason)
        {
            _pending.TryRemove(id, out _);
            throw new QmpDisconnectedException($"QMP command '{command}' not sent: {reason.Message}", reason);
        }

        using var timeoutSource = new CancellationTokenSource(effectiveTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            var payload = Serialize(command, arguments, id);
            await SendAsync(command, payload, linked.Token).WaitAsync(linked.Token);
            return await pending.Result.Task.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"QMP command '{command}' was canceled.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested)
        {
            // A late answer is harmless: its id is no longer pending, so the read loop drops it.
            LogCommandTimedOut(_logger, command, id, effectiveTimeout);
            throw new TimeoutException($"QMP command '{command}' got no answer within {effectiveTimeout}.", ex);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync();

        // Some streams ignore cancellation of a pending read; closing the stream unblocks them.
        await _stream.DisposeAsync();
        await _readLoop;
        OnDisconnected(new QmpDisconnectedException("The QMP client was disposed."));
        _shutdown.Dispose();
    }

    private static async Task<Stream> ConnectSocketAsync(string path, QmpClientOptions options, Action<Exception> onRetry, CancellationToken cancellationToken)
    {
        var endpoint = new UnixDomainSocketEndPoint(path);
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex) when (IsRetryable(ex, path))
            {
                socket.Dispose();
                onRetry(ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            await Task.Delay(options.ConnectRetryInterval, options.TimeProvider, cancellationToken);
        }
    }

    // Missing file: QEMU has not bound yet. Refused: the file is stale or QEMU is not listening yet.
    private static bool IsRetryable(SocketException ex, string path) =>
        ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain
        || !File.Exists(path);

    private static async Task<QmpClient> HandshakeAsync(Stream stream, QmpClientOptions options, CancellationToken cancellationToken)
    {
        var client = new QmpClient(stream, options);
        try
        {
            var line = await client._reader.ReadLineAsync(cancellationToken)
                ?? throw new QmpDisconnectedException("QEMU closed the QMP connection before sending its greeting.");
            client.Greeting = QmpGreeting.Parse(line.Span);
            client._readLoop = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            await client.ExecuteAsync("qmp_capabilities", arguments: null, Timeout.InfiniteTimeSpan, cancellationToken);
            LogConnected(client._logger, client.Greeting.Version.ToString(), client.Greeting.Version.Package);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private static byte[] Serialize(string command, object? arguments, long id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is not null)
            {
                writer.WritePropertyName("arguments");
                JsonSerializer.Serialize(writer, arguments, arguments.GetType());
            }

            writer.WriteNumber("id", id);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private async Task SendAsync(string command, byte[] payload, CancellationToken cancellationToken)
    {
        // Waiting for our turn is cancellable because nothing has been written yet.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // The write itself is not: abandoning half a line would corrupt the stream for every other caller.
            await _stream.WriteAsync(payload, _shutdownToken);
            await _stream.FlushAsync(_shutdownToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            LogWriteFailed(_logger, command, ex);

            // The connection is unusable; stop the read loop too so every pending call fails promptly.
            if (Volatile.Read(ref _disposed) == 0)
            {
                try
                {
                    await _shutdown.CancelAsync();
                }
                catch (ObjectDisposedException)
                {
                    // Disposed concurrently: the read loop is already stopping.
                }
            }

            throw new QmpDisconnectedException($"QMP command '{command}' could not be sent: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(_shutdownToken);
                if (line is null)
                {
                    reason = new QmpDisconnectedException("QEMU closed the QMP connection.");
                    break;
                }

                Dispatch(line.Value);
            }
        }
        catch (Exception ex) when (_shutdownToken.IsCancellationRequested)
        {
            // Disposal closes the stream under the pending read; whatever that throws just means "closed".
            reason = new QmpDisconnectedException("The QMP client was closed.", ex);
        }
        catch (Exception ex)
        {
            // Any failure here must still release pending callers, so nothing is allowed to escape.
            reason = new QmpDisconnectedException($"The QMP connection failed: {ex.Message}", ex);
        }

        OnDisconnected(reason);
    }

    private void Dispatch(ReadOnlyMemory<byte> line)
    {
        if (line.Span.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            // One garbled line should not take the whole session down.
            LogMalformedLine(_logger, ex);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                LogUnexpectedMessage(_logger, root.ValueKind.ToString());
                return;
            }

            if (root.TryGetProperty("event", out var name))
            {
                DispatchEvent(root, name.GetString() ?? string.Empty);
            }
            else if (root.TryGetProperty("return", out _) || root.TryGetProperty("error", out _))
            {
                DispatchResponse(root);
            }
            else
            {
                LogUnexpectedMessage(_logger, "object without event/return/error");
            }
        }
    }

    private void DispatchEvent(JsonElement root, string name)
    {
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : EmptyObject;
        var timestamp = DateTimeOffset.UnixEpoch;
        if (root.TryGetProperty("timestamp", out var ts)
            && ts.TryGetProperty("seconds", out var seconds) && seconds.TryGetInt64(out var s)
            && ts.TryGetProperty("microseconds", out var micros) && micros.TryGetInt64(out var us)
            && s >= 0 && us >= 0)
        {
            // QEMU sends -1/-1 when its clock failed; that stays at the epoch.
            timestamp = DateTimeOffset.FromUnixTimeSeconds(s).AddTicks(us * TimeSpan.TicksPerMicrosecond);
        }

        _events.Writer.TryWrite(new QmpEvent(name, data, timestamp));
    }

    private void DispatchResponse(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id))
        {
            // QEMU answers unparsable input without an id; no caller can be matched to it.
            LogUnmatchedResponse(_logger, root.GetRawText());
            return;
        }

        if (!_pending.TryRemove(id, out var pending))
        {
            // The caller timed out or was canceled before the answer arrived.
            LogLateResponse(_logger, id);
            return;
        }

        if (root.TryGetProperty("error", out var error))
        {
            var errorClass = error.TryGetProperty("class", out var c) ? c.GetString() ?? string.Empty : string.Empty;
            var description = error.TryGetProperty("desc", out var desc) ? desc.GetString() ?? string.Empty : string.Empty;
            pending.Result.TrySetException(new QmpCommandException(pending.Command, errorClass, description));
        }
        else
        {
            pending.Result.TrySetResult(root.GetProperty("return").Clone());
        }
    }

    private void OnDisconnected(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _disconnectReason, reason, null) is not null)
        {
            return;
        }

        LogDisconnected(_logger, reason.Message);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending))
            {
                pending.Result.TrySetException(
                    new QmpDisconnectedException($"QMP command '{pending.Command}' was not answered: {reason.Message}", reason));
            }
        }

        _events.Writer.TryComplete();
        _completion.TrySetResult();
    }

    private sealed class PendingCommand(string command)
    {
        public string Command { get; } = command;

        public TaskCompletionSource<JsonElement> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
