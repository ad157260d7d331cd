using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>
/// A host agent the Center manages. Exactly one of <see cref="ClusterId"/> (a clustered host) and
/// <see cref="FolderId"/> (a standalone host in a host folder) is set; a check constraint enforces it. The address
/// and port are unique in the Center (the address is also the host's display name, as in vCenter).
/// </summary>
public sealed class HostRecord
{
    public InventoryId Id { get; set; }

    /// <summary>DNS name or IP address the Center connects to.</summary>
    public required string Address { get; set; }

    public int Port { get; set; }

    /// <summary>User of <see cref="Password"/>; null once the host is enrolled (see <see cref="Password"/>).</summary>
    public string? UserName { get; set; }

    /// <summary>
    /// Null for every host enrolled with the Center's CA (the Center authenticates with its client certificate). Only
    /// a host recorded before the CA existed still has one, used once by reconnect to enrol it, then cleared.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>SHA-256 of the host's TLS certificate, 64 lowercase hex digits, confirmed by the admin at add time.</summary>
    public required string CertificateSha256 { get; set; }

    public HostConnectionState ConnectionState { get; set; }

    public bool InMaintenanceMode { get; set; }

    public DateTimeOffset? LastHeartbeatAt { get; set; }

    /// <summary>The host's memory for VMs as it last reported it (<c>HostInfoDto.MemoryMiB</c>); null before the first report. HA admission control counts it.</summary>
    public long? MemoryMiB { get; set; }

    public InventoryId? ClusterId { get; set; }

    public InventoryId? FolderId { get; set; }
}
