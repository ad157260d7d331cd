namespace Hyperion.Contracts.Center;

/// <summary>
/// A host in the Center's inventory. <see cref="ConnectionState"/> is <c>connected</c>, <c>notResponding</c> or
/// <c>disconnected</c> (by an admin); <see cref="InMaintenanceMode"/> is the maintenance flag; <see cref="Fingerprint"/> is the pinned certificate SHA-256 as colon-separated hex.
/// </summary>
public sealed record HostDto(
    string Id,
    string Name,
    string Address,
    string Fingerprint,
    string ConnectionState,
    string? Cluster,
    string? FolderId,
    int VmCount,
    DateTimeOffset? LastHeartbeatAt,
    bool InMaintenanceMode = false);
