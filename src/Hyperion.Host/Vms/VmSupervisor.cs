using Hyperion.Contracts.Events;
using Hyperion.Domain.Vms;
using Hyperion.Host.Events;
using Hyperion.Hypervisor.Networking;
using Hyperion.Hypervisor.Drivers;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Vms;

/// <summary>
/// Reflects one running VM instance in the VM's state: pause/resume as they happen, and, when the instance is gone,
/// powered off with one event that says why (requested power-off, guest shutdown, or an unexpected death).
/// How "gone" is detected belongs to the driver (for QEMU: QMP socket closed, or the pid left /proc).
/// </summary>
internal sealed partial class VmSupervisor(
    HostEventLog events,
    TapDevices taps,
    ILogger<VmSupervisor> logger)
{
    public void Start(VmEntry entry, IVmInstance instance)
    {
        var cts = new CancellationTokenSource();
        lock (entry.Gate)
        {
            entry.Instance = instance;
            entry.Pid = instance.Pid;
            entry.Accelerator = instance.Accelerator;
            entry.CpuModel = instance.CpuModel;
            entry.Supervision = cts;
            entry.Exited = VmEntry.NewExitSignal();
        }

        _ = Task.Run(() => WatchAsync(entry, instance, cts.Token), CancellationToken.None);
    }

    /// <summary>Stops watching without touching the VM (agent shutdown: the VM keeps running).</summary>
    public static void Detach(VmEntry entry)
    {
        lock (entry.Gate)
        {
            entry.Supervision?.Cancel();
        }
    }

    private async Task WatchAsync(VmEntry entry, IVmInstance instance, CancellationToken cancellationToken)
    {
        var pump = Task.Run(
            async () =>
            {
                await foreach (var e in instance.Events.ReadAllAsync(cancellationToken))
                {
                    if (Volatile.Read(ref entry.SelfPauseEvents) > 0 && Interlocked.Decrement(ref entry.SelfPauseEvents) >= 0)
                    {
                        continue;
                    }

                    if (e == VmRuntimeEvent.Paused)
                    {
                        SetState(entry, VmPowerState.Suspended, onlyFrom: VmPowerState.PoweredOn);
                    }
                    else
                    {
                        SetState(entry, VmPowerState.PoweredOn, onlyFrom: VmPowerState.Suspended);
                    }
                }
            },
            CancellationToken.None);

        string? reason;
        try
        {
            reason = await instance.Exited.WaitAsync(cancellationToken);
            await pump.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Detached: the agent is stopping and leaves the VM running.
            await instance.DisposeAsync();
            return;
        }

        await instance.DisposeAsync();
        await MarkExitedAsync(entry, reason);
    }

    /// <summary>Removes the tap devices of the VM's bridged NICs (they die with the VM).</summary>
    public async Task DeleteTapsAsync(VmEntry entry)
    {
        var spec = entry.Spec;
        for (var i = 0; i < spec.Nics.Count; i++)
        {
            if (VmService.IsBridge(spec.Nics[i].Network))
            {
                await taps.DeleteAsync(taps.NameFor(spec.Uuid, i), CancellationToken.None);
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
                (ExpectedExit.Fenced, _) => (EventTypes.VmPoweredOff, "powered off by the HA isolation response (this host lost its HA lease)"),
                (ExpectedExit.MigratedAway, _) => (EventTypes.VmMigratedOut, "migrated to another host; its QEMU here has stopped"),
                (ExpectedExit.Shutdown, "guest-shutdown") => (EventTypes.VmPoweredOff, "guest OS shut down"),
                (_, "guest-shutdown") => (EventTypes.VmGuestPoweredOff, "the guest OS powered the VM off"),
                (_, null) => (EventTypes.VmProcessDied, $"QEMU process {pid} exited unexpectedly; the VM is powered off"),
                (_, var reason) => (EventTypes.VmPoweredOff, $"QEMU exited ({reason})"),
            };
            entry.LastExit = (expected, shutdownReason) switch
            {
                (ExpectedExit.PowerOff or ExpectedExit.Shutdown, _) => VmExitCause.Requested,
                (ExpectedExit.Fenced, _) => VmExitCause.Fenced,
                (ExpectedExit.MigratedAway, _) => VmExitCause.MigratedAway,
                (_, "guest-shutdown") => VmExitCause.GuestShutdown,
                _ => VmExitCause.Crashed,
            };
            entry.PowerState = VmPowerState.PoweredOff;
            entry.Pid = null;
            entry.Instance = null;
            entry.Accelerator = null;
            entry.CpuModel = null;
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
}
