namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>PUT /api/clusters/{id}/ha</c>: turns vSphere HA on or off for a cluster. Fields left null keep their value
/// (defaults when first enabled: 1 host failure tolerated, isolation response <c>power-off</c>, VM monitoring on, every
/// datastore all the cluster's hosts share used for datastore heartbeats).
/// </summary>
public sealed record ClusterHaRequest(
    bool Enabled,
    int? HostFailuresTolerated = null,
    string? IsolationResponse = null,
    bool? VmMonitoring = null,
    IReadOnlyList<string>? HeartbeatDatastores = null);
