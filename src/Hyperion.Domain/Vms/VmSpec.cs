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
}
