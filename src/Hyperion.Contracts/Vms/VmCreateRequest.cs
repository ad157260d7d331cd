namespace Hyperion.Contracts.Vms;

/// <summary><c>POST /api/vms</c>.</summary>
public sealed record VmCreateRequest
{
    public string? Name { get; init; }
    public int Cpus { get; init; } = 1;
    public long MemoryMiB { get; init; } = 128;

    /// <summary>Datastore name; the host's default datastore when null.</summary>
    public string? Datastore { get; init; }
    public IReadOnlyList<VmDiskRequest> Disks { get; init; } = [];
    public IReadOnlyList<VmNicRequest> Nics { get; init; } = [];

    /// <summary>A built-in image (<c>tiny</c>), or null to boot from <see cref="Kernel"/>, <see cref="Iso"/> or the first disk.</summary>
    public string? Image { get; init; }
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? KernelArgs { get; init; }
    public string? Iso { get; init; }

    /// <summary>Adds the QEMU guest agent channel (virtio-serial port <c>org.qemu.guest_agent.0</c>) for qemu-ga in the guest.</summary>
    public bool GuestAgent { get; init; }
}
