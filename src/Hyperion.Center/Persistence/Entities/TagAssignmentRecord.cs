using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A tag on an inventory object of any kind (no foreign key on the object: the Center removes assignments with it).</summary>
public sealed class TagAssignmentRecord
{
    public long TagId { get; set; }

    public InventoryId ObjectId { get; set; }
}
