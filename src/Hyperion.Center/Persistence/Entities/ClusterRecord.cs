using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A cluster of hosts, in a host folder; its name is unique within that folder.</summary>
public sealed class ClusterRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    /// <summary>A folder of kind <see cref="FolderKind.Host"/>.</summary>
    public InventoryId FolderId { get; set; }

    /// <summary>
    /// The cluster's CPU baseline (vSphere's EVC mode): a QEMU CPU model every VM of the cluster is given, so any of them
    /// can move to any host of it. Null: VMs get their host's default model and move only between hosts that match.
    /// </summary>
    public string? CpuBaseline { get; set; }

    /// <summary>vSphere HA is on: every host of the cluster runs the HA agent (<c>PUT /api/host/ha</c>).</summary>
    public bool HaEnabled { get; set; }

    /// <summary>Admission control's N: host failures the cluster keeps capacity for.</summary>
    public int HaHostFailuresTolerated { get; set; } = 1;

    /// <summary>One of <c>HaIsolationResponses</c>; null while HA was never configured (the cluster shows no HA settings).</summary>
    public string? HaIsolationResponse { get; set; }

    /// <summary>Restart protected VMs whose QEMU died or whose guest heartbeat stopped.</summary>
    public bool HaVmMonitoring { get; set; } = true;

    /// <summary>
    /// Datastores (by name, mounted by every host) holding the HA datastore heartbeats; null while HA was never
    /// configured (nullable so that adding the column needs no default for existing rows on either provider).
    /// </summary>
    public List<string>? HaHeartbeatDatastores { get; set; }
}
