using System.Text.Json;
using System.Threading.Channels;

namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>A negotiated QMP session with one QEMU process; the seam that supervisors and fakes share.</summary>
public interface IQmpClient : IAsyncDisposable
{
    /// <summary>The banner QEMU sent on connect.</summary>
    QmpGreeting Greeting { get; }

    /// <summary>Asynchronous events in arrival order; completed when the connection closes.</summary>
    ChannelReader<QmpEvent> Events { get; }

    /// <summary>Completes (never faults) when the connection closes for any reason, e.g. QEMU exited.</summary>
    Task Completion { get; }

    /// <summary>False once the connection has closed.</summary>
    bool IsConnected { get; }

    /// <summary>Runs a QMP command and returns its <c>return</c> value.</summary>
    /// <param name="command">The command name, e.g. "query-status".</param>
    /// <param name="arguments">Serialized with System.Text.Json as the <c>arguments</c> object; use a dictionary for hyphenated names.</param>
    /// <param name="timeout">How long to wait for the answer; null uses the client's default.</param>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpDisconnectedException">The connection closed before the answer.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    Task<JsonElement> ExecuteAsync(string command, object? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
