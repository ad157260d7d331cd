using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A network (port group) of a datacenter; name unique there.</summary>
public sealed class NetworkRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    public InventoryId DatacenterId { get; set; }
}
