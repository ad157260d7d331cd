using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>
/// A folder. The root folder (<see cref="InventoryId.RootFolder"/>, kind Datacenter, no parent) holds datacenters;
/// each datacenter has one root host folder and one root VM folder (no parent, <see cref="DatacenterId"/> set) under
/// which folders of the same kind nest. Names are unique among a folder's child folders.
/// </summary>
public sealed class FolderRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    public FolderKind Kind { get; set; }

    /// <summary>Null for the root folder and for a datacenter's root host/VM folders.</summary>
    public InventoryId? ParentFolderId { get; set; }

    /// <summary>The datacenter a host or VM folder belongs to; null for datacenter folders.</summary>
    public InventoryId? DatacenterId { get; set; }
}
