namespace Hyperion.Contracts.Ha;

/// <summary>One host of the HA cluster as the reporting host sees it (from etcd and the datastore heartbeats).</summary>
/// <param name="HostId">The Center's host id.</param>
/// <param name="HostName">Address/name.</param>
/// <param name="State">One of <see cref="HaHostStates"/>.</param>
/// <param name="Master">Whether it holds the master election.</param>
/// <param name="LeaseHeld">Whether its etcd lease is alive.</param>
/// <param name="HeartbeatAgeMs">Since its datastore heartbeat was last seen to change (null: never seen).</param>
/// <param name="FreeMemoryMiB">Memory it still has for VMs (what restart placement uses).</param>
/// <param name="ProtectedVms">Protected VMs it runs.</param>
public sealed record HaHostDto(
    string HostId,
    string HostName,
    string State,
    bool Master,
    bool LeaseHeld,
    long? HeartbeatAgeMs,
    long FreeMemoryMiB,
    int ProtectedVms);
