using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A datacenter: the container of hosts, clusters, VMs, datastores and networks. Name unique in the Center.</summary>
public sealed class DatacenterRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    /// <summary>A folder of kind <see cref="FolderKind.Datacenter"/>: the root folder or one below it.</summary>
    public InventoryId ParentFolderId { get; set; }
}
