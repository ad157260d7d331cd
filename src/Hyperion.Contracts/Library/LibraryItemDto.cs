namespace Hyperion.Contracts.Library;

/// <summary>
/// An item of a host's content library: a disk image (<c>disk</c>, kept as qcow2), an ISO (<c>iso</c>), or a VM
/// template imported from an OVF/OVA package (<c>ovf</c>: its disks plus the virtual hardware it describes).
/// </summary>
public sealed record LibraryItemDto(string Name, string Type, string Datastore, IReadOnlyList<LibraryFileDto> Files, DateTimeOffset CreatedAt)
{
    /// <summary>From the OVF: vCPUs and memory a VM deployed from it gets unless told otherwise.</summary>
    public int? Cpus { get; init; }

    public long? MemoryMiB { get; init; }

    public IReadOnlyList<string>? Networks { get; init; }

    /// <summary>A built-in image booted directly (Hyperion's own OVF boot section), e.g. <c>tiny</c>.</summary>
    public string? BootImage { get; init; }

    public string? KernelArgs { get; init; }

    /// <summary>What it was imported from (the uploaded file's name and format).</summary>
    public string? Source { get; init; }
}

/// <summary>A file of a library item: <see cref="Format"/> as qemu-img names it, its size on disk and (disks) its virtual size.</summary>
public sealed record LibraryFileDto(string Name, string Format, long SizeBytes, long? VirtualSizeBytes = null);

/// <summary>
/// <c>POST /api/library/{item}/deploy</c>: a new VM from the item, on <see cref="Datastore"/> (default: the item's).
/// Disks are copied; an ISO item is attached as the VM's CD-ROM (with a new empty disk of <see cref="DiskSize"/> if
/// given). <see cref="Image"/> <c>tiny</c> boots the built-in tiny guest with the item's disks as data disks.
/// </summary>
public sealed record LibraryDeployRequest(string Name)
{
    public string? Datastore { get; init; }

    public int? Cpus { get; init; }

    public long? MemoryMiB { get; init; }

    public string? Image { get; init; }

    public string? KernelArgs { get; init; }

    public string? DiskSize { get; init; }

    public bool PowerOn { get; init; }
}
