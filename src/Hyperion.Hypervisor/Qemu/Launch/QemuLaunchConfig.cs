using Hyperion.Domain.Vms;

namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>Everything needed to build a QEMU command line for one VM; resolved paths only.</summary>
public sealed record QemuLaunchConfig
{
    public required string Name { get; init; }
    public required Guid Uuid { get; init; }

    /// <summary><c>kvm</c> or <c>tcg</c>.</summary>
    public required string Accelerator { get; init; }

    /// <summary>The QEMU CPU model; <c>host</c> for KVM, <c>max</c> for TCG unless a cluster baseline says otherwise.</summary>
    public required string CpuModel { get; init; }
    public required int Cpus { get; init; }
    public required long MemoryMiB { get; init; }
    public IReadOnlyList<QemuDisk> Disks { get; init; } = [];
    public IReadOnlyList<QemuNic> Nics { get; init; } = [];
    public required BootKind Boot { get; init; }
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? KernelArgs { get; init; }
    public string? Iso { get; init; }
    public required QemuRuntimePaths Paths { get; init; }

    /// <summary>Detach from the caller (double fork, new session) so the VM outlives the agent.</summary>
    public bool Daemonize { get; init; } = true;

    /// <summary>Start paused and wait for an incoming migration (<c>-S -incoming defer</c>; the listen address is given over QMP).</summary>
    public bool Incoming { get; init; }

    /// <summary>Start from this internal memory snapshot of the disks (<c>-loadvm</c>) instead of booting.</summary>
    public string? LoadSnapshot { get; init; }

    /// <summary>
    /// Add the QEMU guest agent channel (Proxmox's <c>agent: 1</c>): a virtio-serial port named
    /// <c>org.qemu.guest_agent.0</c> whose host end is the unix socket <see cref="QemuRuntimePaths.GuestAgent"/>.
    /// Guest-visible hardware: a live migration's destination is started with it too (same spec).
    /// </summary>
    public bool GuestAgent { get; init; }

    /// <summary>Add a VGA device and a VNC server on <see cref="QemuRuntimePaths.VncSocket"/>.</summary>
    public bool Graphics { get; init; } = true;
}
