namespace Hyperion.Domain.Vms;

/// <summary>The desired configuration of a VM, as stored in its folder's <c>vm.json</c>.</summary>
public sealed record VmSpec
{
    public required string Name { get; init; }

    /// <summary>Stable identity of the VM's hardware (SMBIOS UUID); survives re-registration elsewhere.</summary>
    public required Guid Uuid { get; init; }

    public required int Cpus { get; init; }

    public required long MemoryMiB { get; init; }

    public IReadOnlyList<DiskSpec> Disks { get; init; } = [];

    public IReadOnlyList<NicSpec> Nics { get; init; } = [];

    public required BootSpec Boot { get; init; }

    /// <summary>A template (vSphere's "mark as template"): never powered on or changed in place, only cloned.</summary>
    public bool Template { get; init; }

    /// <summary>For a linked clone: the UUID of the template whose disks its disks are overlays of.</summary>
    public Guid? LinkedTemplate { get; init; }

    /// <summary>The cloud-init NoCloud seed image (relative to the VM folder) attached read-only, or null.</summary>
    public string? Seed { get; init; }

    /// <summary>
    /// The QEMU guest agent channel (Proxmox's <c>agent: 1</c>): a virtio-serial port <c>org.qemu.guest_agent.0</c> for
    /// qemu-ga in the guest. Guest hardware, so changed only while powered off. When on, the agent answering is the guest
    /// heartbeat of HA VM monitoring (once it has answered since power-on).
    /// </summary>
    public bool GuestAgent { get; init; }

    /// <summary>HA restart priority when its host's cluster has HA on; <see cref="Ha.HaRestartPriority.Disabled"/>: not protected.</summary>
    public Ha.HaRestartPriority RestartPriority { get; init; } = Ha.HaRestartPriority.Medium;

    /// <summary>HA VM monitoring: restarted on its host when its QEMU dies (not when it is powered off or shut down).</summary>
    public bool VmMonitoring { get; init; } = true;

    /// <summary>VM monitoring's failure interval (seconds): a guest whose heartbeat stops this long is reset. Default 30.</summary>
    public int VmMonitoringTimeoutSeconds { get; init; } = 30;
}
