using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Host.Vms;

/// <summary>A registered VM as the agent holds it: configuration plus the runtime truth last seen from QEMU.</summary>
internal sealed class VmEntry(VmRegistration registration, string folderPath, VmSpec spec, QemuRuntimePaths paths)
{
    /// <summary>Serialises operations on this VM (power, reconfigure, delete).</summary>
    public SemaphoreSlim OperationLock { get; } = new(1, 1);

    /// <summary>Guards the runtime fields below against the supervisor, which updates them without the operation lock.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Where the VM's folder is; changes only when a storage migration completes.</summary>
    public VmRegistration Registration { get; set; } = registration;

    public string Id => Registration.Id;

    public string FolderPath { get; set; } = folderPath;

    public QemuRuntimePaths Paths { get; set; } = paths;

    public VmSpec Spec { get; set; } = spec;

    public VmPowerState PowerState { get; set; } = VmPowerState.PoweredOff;

    public int? Pid { get; set; }

    public string? Accelerator { get; set; }

    /// <summary>The QEMU CPU model the running guest sees (a cluster baseline, or the host's default).</summary>
    public string? CpuModel { get; set; }

    public DateTimeOffset? PoweredOnAt { get; set; }

    /// <summary>The guest agent as last polled (VMs with <see cref="VmSpec.GuestAgent"/>); belongs to the QEMU of its pid.</summary>
    public GuestAgentState? GuestAgent { get; set; }

    /// <summary>The running instance from the driver; null while powered off.</summary>
    public IVmInstance? Instance { get; set; }

    /// <summary>Set by an operation that is about to make QEMU exit, so the supervisor reports the exit as intended.</summary>
    public ExpectedExit ExpectedExit { get; set; }

    /// <summary>Why the VM's QEMU last stopped (what HA's VM monitoring and unprotecting go by).</summary>
    public VmExitCause LastExit { get; set; }

    /// <summary>Completed by the supervisor when the current QEMU process is gone.</summary>
    public TaskCompletionSource Exited { get; set; } = NewExitSignal();

    public CancellationTokenSource? Supervision { get; set; }

    /// <summary>The VM's outgoing live migration, from its start until the VM has left or was taken back (then kept for status reads).</summary>
    public OutgoingMigration? Migration { get; set; }

    /// <summary>The VM's storage migration to another datastore of this host, running or last finished.</summary>
    public StorageMotion? StorageMotion { get; set; }

    /// <summary>QEMU STOP/RESUME events still to come from a pause the agent made itself (a storage migration's
    /// switch): the supervisor skips them so the VM never looks suspended.</summary>
    public int SelfPauseEvents;

    public static TaskCompletionSource NewExitSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
