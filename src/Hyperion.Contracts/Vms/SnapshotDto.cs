namespace Hyperion.Contracts.Vms;

/// <summary>
/// One snapshot of a VM: its disks at a point in time and, with <see cref="Memory"/>, the running guest's memory and
/// device state too (reverting then resumes the guest exactly there). <see cref="ParentId"/> makes the tree: the
/// snapshot that was current when this one was taken (null: a root).
/// </summary>
public sealed record SnapshotDto(int Id, string Name, DateTimeOffset CreatedAt, bool Memory, string PowerState)
{
    public string? Description { get; init; }

    public int? ParentId { get; init; }
}

/// <summary>A VM's snapshots (oldest first) and which one its current state descends from (null: none).</summary>
public sealed record SnapshotTreeDto(IReadOnlyList<SnapshotDto> Snapshots, int? CurrentId);

/// <summary><c>POST /api/vms/{vm}/snapshots</c>: take a snapshot; <see cref="Memory"/> (running VMs) includes the guest's memory.</summary>
public sealed record SnapshotCreateRequest(string Name)
{
    public string? Description { get; init; }

    public bool Memory { get; init; }
}
