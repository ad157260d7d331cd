namespace Hyperion.Contracts.Ha;

/// <summary>A host's HA state, as vSphere names them.</summary>
public static class HaHostStates
{
    /// <summary>HA is not enabled on this host.</summary>
    public const string Disabled = "disabled";

    /// <summary>Enabled, not yet holding a lease (etcd unreachable since the agent started, or just configured).</summary>
    public const string Initializing = "initializing";

    /// <summary>Holds the cluster's master election: watches every host and VM and restarts the VMs of failed hosts.</summary>
    public const string Master = "master";

    /// <summary>Holds its lease and follows the master.</summary>
    public const string Connected = "connected";

    /// <summary>Lost its lease and cannot reach etcd at all; the isolation response was applied to its protected VMs.</summary>
    public const string Isolated = "isolated";

    /// <summary>Its lease expired but its datastore heartbeat is fresh: alive, cut off from the master.</summary>
    public const string Partitioned = "partitioned";

    /// <summary>Lease expired and datastore heartbeat stale: its protected VMs are restarted elsewhere.</summary>
    public const string Failed = "failed";

    /// <summary>In maintenance mode: no VMs, not counted for admission control.</summary>
    public const string Maintenance = "maintenance";
}
