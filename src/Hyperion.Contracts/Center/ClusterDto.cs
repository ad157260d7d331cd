namespace Hyperion.Contracts.Center;

/// <summary>A cluster of hosts, in a host folder of <see cref="DatacenterId"/>.</summary>
public sealed record ClusterDto(string Id, string Name, string FolderId, string DatacenterId)
{
    /// <summary>
    /// The cluster's CPU baseline (EVC-like): the QEMU CPU model every VM powered on in the cluster gets, so any VM can
    /// live-migrate to any host of it. Null: none (VMs get their host's <c>host</c>/<c>max</c> model).
    /// </summary>
    public string? CpuBaseline { get; init; }

    /// <summary>The cluster's HA settings; null when HA was never configured (off).</summary>
    public ClusterHaDto? Ha { get; init; }
}
