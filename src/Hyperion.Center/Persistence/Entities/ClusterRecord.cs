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
}
