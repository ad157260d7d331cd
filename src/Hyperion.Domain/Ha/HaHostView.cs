namespace Hyperion.Domain.Ha;

/// <summary>One host of the HA cluster as the master sees it.</summary>
/// <param name="HostId">The Center's id of the host.</param>
/// <param name="LeaseHeld">Its etcd lease (and so its host key) exists.</param>
/// <param name="FreeMemoryMiB">Memory it still has for VMs, as it last published.</param>
/// <param name="Maintenance">In maintenance mode: takes no VMs.</param>
/// <param name="Heartbeat">Its datastore heartbeat as observed.</param>
public sealed record HaHostView(string HostId, bool LeaseHeld, long FreeMemoryMiB, bool Maintenance, HaHeartbeatView Heartbeat);
