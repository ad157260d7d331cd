using Hyperion.Hypervisor.Qemu.Launch;

namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// The seam between the host agent and whatever runs VMs: QEMU processes in production, an in-memory simulation for
/// scale tests. Everything above it (VM lifecycle, supervision, API) is the same code for both.
/// </summary>
public interface IVmDriver
{
    /// <summary><c>qemu</c>, or <c>simulated</c> (no real VMs: scale tests only). Shown in host info.</summary>
    string Name { get; }

    /// <summary>Starts the VM described by <paramref name="launch"/>; throws <see cref="QemuStartException"/> when it does not start.</summary>
    Task<IVmInstance> StartAsync(QemuLaunchConfig launch, string logPath, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the VM paused, waiting for its state from a migration stream on <paramref name="listenAddress"/> (an
    /// ephemeral port); returns the instance and the port. Its disks are not opened for writing until
    /// <see cref="IVmInstance.ContinueAsync"/>, so the source can still take the VM back.
    /// </summary>
    Task<(IVmInstance Instance, int Port)> StartIncomingAsync(QemuLaunchConfig launch, string logPath, string listenAddress, VmIncomingSettings settings, CancellationToken cancellationToken);

    /// <summary>Re-attaches to the VM's still-running instance after an agent restart.</summary>
    Task<VmAttachResult> AttachAsync(QemuLaunchConfig launch, CancellationToken cancellationToken);
}
