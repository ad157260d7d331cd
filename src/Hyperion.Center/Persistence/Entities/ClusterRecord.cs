using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A cluster of hosts, in a host folder; its name is unique within that folder.</summary>
public sealed class ClusterRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    /// <summary>A folder of kind <see cref="FolderKind.Host"/>.</summary>
    public InventoryId FolderId { get; set; }
}
