namespace Hyperion.Hypervisor.Qemu.Qmp;

/// <summary>Typed wrappers for the QMP commands the host agent uses.</summary>
public static class QmpClientExtensions
{
    public static async Task<QmpStatus> QueryStatusAsync(this IQmpClient client, CancellationToken cancellationToken = default)
    {
        var result = await client.ExecuteAsync("query-status", cancellationToken: cancellationToken);
        return new QmpStatus(result.GetProperty("running").GetBoolean(), result.GetProperty("status").GetString() ?? string.Empty);
    }

    public static async Task<QemuVersion> QueryVersionAsync(this IQmpClient client, CancellationToken cancellationToken = default)
    {
        var result = await client.ExecuteAsync("query-version", cancellationToken: cancellationToken);
        return QemuVersion.FromJson(result);
    }

    /// <summary>Pauses the vCPUs (RunState "paused"); QEMU emits STOP.</summary>
    public static Task StopAsync(this IQmpClient client, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("stop", cancellationToken: cancellationToken);

    /// <summary>Starts or resumes the vCPUs (from "prelaunch" or "paused"); QEMU emits RESUME.</summary>
    public static Task ContAsync(this IQmpClient client, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("cont", cancellationToken: cancellationToken);

    /// <summary>Presses the ACPI power button; the guest decides whether and when to shut down (POWERDOWN, later SHUTDOWN).</summary>
    public static Task SystemPowerdownAsync(this IQmpClient client, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("system_powerdown", cancellationToken: cancellationToken);

    /// <summary>Hard-resets the machine, like the reset button (RESET).</summary>
    public static Task SystemResetAsync(this IQmpClient client, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("system_reset", cancellationToken: cancellationToken);

    /// <summary>Makes QEMU exit immediately. Await <see cref="IQmpClient.Completion"/> to see the connection close.</summary>
    public static async Task QuitAsync(this IQmpClient client, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ExecuteAsync("quit", cancellationToken: cancellationToken);
        }
        catch (QmpDisconnectedException)
        {
            // QEMU may close the socket before its answer is read; a closed connection is what quit asked for.
        }
    }
}
