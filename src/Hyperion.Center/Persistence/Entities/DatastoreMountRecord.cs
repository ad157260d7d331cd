using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A host ↔ datastore mount: where the datastore is on that host. Removed with the host or the datastore.</summary>
public sealed class DatastoreMountRecord
{
    public InventoryId HostId { get; set; }

    public InventoryId DatastoreId { get; set; }

    /// <summary>The datastore's directory on the host.</summary>
    public required string Path { get; set; }
}
