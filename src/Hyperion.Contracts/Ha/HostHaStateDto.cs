namespace Hyperion.Contracts.Ha;

/// <summary><c>GET /api/host/ha</c>: this host's HA state and, from etcd, the cluster as it sees it.</summary>
public sealed record HostHaStateDto
{
    public required bool Enabled { get; init; }

    /// <summary>One of <see cref="HaHostStates"/>.</summary>
    public required string State { get; init; }

    public string? ClusterId { get; init; }
    public string? HostId { get; init; }

    /// <summary>The host holding the master election, as last read from etcd.</summary>
    public string? MasterHostId { get; init; }

    /// <summary>One of <see cref="HaIsolationResponses"/>.</summary>
    public string? IsolationResponse { get; init; }
    public bool VmMonitoring { get; init; }
    public int HostFailuresTolerated { get; init; }
    public IReadOnlyList<string> HeartbeatDatastores { get; init; } = [];

    /// <summary>The etcd endpoints this host was started with (<c>--etcd</c>); empty: HA cannot be enabled here.</summary>
    public IReadOnlyList<string> EtcdEndpoints { get; init; } = [];

    /// <summary>Last problem (etcd unreachable, lease lost), null when healthy.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<HaHostDto> Hosts { get; init; } = [];
    public IReadOnlyList<HaVmDto> Vms { get; init; } = [];
}
