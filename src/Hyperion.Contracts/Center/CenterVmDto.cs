namespace Hyperion.Contracts.Center;

/// <summary>
/// A VM in the Center's inventory (<see cref="Id"/> is the Center's <c>vm-N</c>; <see cref="HostLocalId"/> the host
/// agent's own id). <see cref="PowerState"/> is as the host last reported it.
/// </summary>
public sealed record CenterVmDto(
    string Id,
    string Name,
    string? HostId,
    string? HostLocalId,
    string FolderId,
    string PowerState,
    int Cpus,
    long MemoryMiB)
{
    /// <summary>The datastore holding the VM's files (its folder), once a heartbeat described it.</summary>
    public string? DatastoreId { get; init; }

    /// <summary>A template: deployed or cloned from, never powered on.</summary>
    public bool Template { get; init; }

    /// <summary>HA restart priority (<c>high</c>, <c>medium</c>, <c>low</c>, <c>disabled</c>) as the host last reported it; not <c>disabled</c>: protected when its cluster has HA on.</summary>
    public string RestartPriority { get; init; } = "medium";
}
