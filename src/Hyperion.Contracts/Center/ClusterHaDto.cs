namespace Hyperion.Contracts.Center;

/// <summary>A cluster's HA settings.</summary>
public sealed record ClusterHaDto(
    bool Enabled,
    int HostFailuresTolerated,
    string IsolationResponse,
    bool VmMonitoring,
    IReadOnlyList<string> HeartbeatDatastores);
