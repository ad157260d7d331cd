using System.Text.Json;
using Hyperion.Contracts.Events;
using Hyperion.Domain.Vms;
using Hyperion.Host.Events;
using Hyperion.Hypervisor.Networking;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Qmp;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Watches one running QEMU: its QMP events (SHUTDOWN, STOP, RESUME) and its process. When the QMP socket
/// closes or the process disappears, the VM is marked powered off within the liveness interval and an event says why.
/// </summary>
internal sealed partial class VmSupervisor(
    HostEventLog events,
    IProcessTable processes,
    TapDevices taps,
    HostAgentOptions options,
    TimeProvider time,
    ILogger<VmSupervisor> logger)
{
    /// <summary>Watches <paramref name="pid"/>; <paramref name="qmp"/> is null for a QEMU whose monitor could not be reached (process liveness only).</summary>
    public void Start(VmEntry entry, QmpClient? qmp, int pid)
    {
        var cts = new CancellationTokenSource();
        lock (entry.Gate)
        {
            entry.Qmp = qmp;
            entry.Pid = pid;
            entry.Supervision = cts;
            entry.Exited = VmEntry.NewExitSignal();
        }

        _ = Task.Run(() => WatchAsync(entry, qmp, pid, cts.Token), CancellationToken.None);
    }

    /// <summary>Stops watching without touching the VM (agent shutdown: the VM keeps running).</summary>
    public static void Detach(VmEntry entry)
    {
        lock (entry.Gate)
        {
            entry.Supervision?.Cancel();
        }
    }

    private async Task WatchAsync(VmEntry entry, QmpClient? qmp, int pid, CancellationToken cancellationToken)
    {
        string? shutdownReason = null;
        var monitorClosed = qmp?.Completion ?? Task.Delay(Timeout.Infinite, cancellationToken);
        var eventPump = qmp is null ? Task.CompletedTask : Task.Run(
            async () =>
            {
                await foreach (var e in qmp.Events.ReadAllAsync(cancellationToken))
                {
                    switch (e.Name)
                    {
                        case "SHUTDOWN":
                            shutdownReason = e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("reason", out var r) ? r.GetString() : "unknown";
                            break;
                        case "STOP":
                            SetState(entry, VmPowerState.Suspended, onlyFrom: VmPowerState.PoweredOn);
                            break;
                        case "RESUME":
                            SetState(entry, VmPowerState.PoweredOn, onlyFrom: VmPowerState.Suspended);
                            break;
                        default:
                            break;
                    }
                }
            },
            CancellationToken.None);

        try
        {
            while (processes.IsAlive(pid))
            {
                if (qmp is not null && monitorClosed.IsCompleted)
                {
                    // The monitor closed: QEMU is exiting. Give it a moment to leave the process table.
                    for (var i = 0; i < 20 && processes.IsAlive(pid); i++)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
                    }

                    if (processes.IsAlive(pid))
                    {
                        LogMonitorLostProcessAlive(logger, entry.Id, pid);
                        await Task.Delay(options.LivenessInterval, time, cancellationToken);
                        monitorClosed = Task.Delay(Timeout.Infinite, cancellationToken);
                        continue;
                    }

                    break;
                }

                await Task.WhenAny(monitorClosed, Task.Delay(options.LivenessInterval, time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Detached: the agent is stopping and leaves the VM running.
            if (qmp is not null)
            {
                await qmp.DisposeAsync();
            }

            return;
        }

        try
        {
            await eventPump.WaitAsync(TimeSpan.FromMilliseconds(200), time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Events after the socket closed cannot arrive; use what we have.
        }
        catch (OperationCanceledException)
        {
        }

        if (qmp is not null)
        {
            await qmp.DisposeAsync();
        }

        await MarkExitedAsync(entry, shutdownReason);
    }

    /// <summary>Removes the tap devices of the VM's bridged NICs (they die with the VM).</summary>
    public async Task DeleteTapsAsync(VmEntry entry)
    {
        var spec = entry.Spec;
        for (var i = 0; i < spec.Nics.Count; i++)
        {
            if (VmService.IsBridge(spec.Nics[i].Network))
            {
                await taps.DeleteAsync(TapDevices.NameFor(spec.Uuid, i), CancellationToken.None);
            }
        }
    }

    private async Task MarkExitedAsync(VmEntry entry, string? shutdownReason)
    {
        // Clean up first, then flip the state and publish the event together, so anyone who sees
        // "poweredOff" also finds the event that says why.
        CleanRunDirectory(entry);
        await DeleteTapsAsync(entry);
        lock (entry.Gate)
        {
            var expected = entry.ExpectedExit;
            var pid = entry.Pid;
            var (type, message) = (expected, shutdownReason) switch
            {
                (ExpectedExit.PowerOff, _) => (EventTypes.VmPoweredOff, "powered off"),
                (ExpectedExit.Shutdown, "guest-shutdown") => (EventTypes.VmPoweredOff, "guest OS shut down"),
                (_, "guest-shutdown") => (EventTypes.VmGuestPoweredOff, "the guest OS powered the VM off"),
                (_, null) => (EventTypes.VmProcessDied, $"QEMU process {pid} exited unexpectedly; the VM is powered off"),
                (_, var reason) => (EventTypes.VmPoweredOff, $"QEMU exited ({reason})"),
            };
            entry.PowerState = VmPowerState.PoweredOff;
            entry.Pid = null;
            entry.Qmp = null;
            entry.Accelerator = null;
            entry.PoweredOnAt = null;
            entry.ExpectedExit = ExpectedExit.None;
            entry.Supervision = null;
            events.Publish(type, message, entry.Id, entry.Spec.Name);
            LogExited(logger, entry.Id, pid ?? 0, type);
        }

        entry.Exited.TrySetResult();
    }

    private static void SetState(VmEntry entry, VmPowerState state, VmPowerState onlyFrom)
    {
        lock (entry.Gate)
        {
            if (entry.PowerState == onlyFrom)
            {
                entry.PowerState = state;
            }
        }
    }

    internal static void CleanRunDirectory(VmEntry entry)
    {
        foreach (var file in new[] { entry.Paths.QmpSocket, entry.Paths.SerialSocket, entry.Paths.VncSocket, entry.Paths.PidFile })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a stale socket is removed again before the next start.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {VmId}: QEMU process {Pid} is gone ({EventType})")]
    private static partial void LogExited(ILogger logger, string vmId, int pid, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {VmId}: QMP connection closed but process {Pid} is still alive")]
    private static partial void LogMonitorLostProcessAlive(ILogger logger, string vmId, int pid);
}
