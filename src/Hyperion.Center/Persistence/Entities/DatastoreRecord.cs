using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A datastore of a datacenter (name unique there); hosts reach it through <see cref="DatastoreMountRecord"/>s.</summary>
public sealed class DatastoreRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    public InventoryId DatacenterId { get; set; }

    /// <summary>Like the host agent's datastore type: <c>local</c>, <c>shared</c>, <c>nfs</c>.</summary>
    public required string Type { get; set; }

    public long CapacityBytes { get; set; }

    public long FreeBytes { get; set; }
}
