namespace Hyperion.Contracts.Ha;

/// <summary>
/// Host-internal, from the Center (<c>PUT /api/host/ha</c>): enables HA on this host as a member of cluster
/// <paramref name="ClusterId"/>. The host keeps it (across agent restarts and while the Center is down) until
/// <c>DELETE /api/host/ha</c>. The host must have been started with etcd endpoints (<c>--etcd</c>).
/// </summary>
/// <param name="ClusterId">The Center's cluster id; names the etcd key space and the datastore heartbeat folder.</param>
/// <param name="HostId">The Center's id of this host: how the other hosts and the master name it.</param>
/// <param name="HostName">The host's address/name as the Center shows it.</param>
/// <param name="IsolationResponse">One of <see cref="HaIsolationResponses"/>.</param>
/// <param name="VmMonitoring">Restart a protected VM whose QEMU died or whose guest heartbeat stopped.</param>
/// <param name="HeartbeatDatastores">Datastores (by name, shared by the cluster's hosts) holding the datastore heartbeats.</param>
/// <param name="HostFailuresTolerated">Admission control's N (reported back; enforced by the Center).</param>
/// <param name="Maintenance">The host is in maintenance mode: the master places no restarts on it.</param>
public sealed record HostHaConfigRequest(
    string ClusterId,
    string HostId,
    string HostName,
    string IsolationResponse,
    bool VmMonitoring,
    IReadOnlyList<string> HeartbeatDatastores,
    int HostFailuresTolerated,
    bool Maintenance = false);
