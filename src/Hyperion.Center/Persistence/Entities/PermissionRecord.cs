using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>A role granted to a user on an inventory object, optionally propagating to its descendants. One per user and object.</summary>
public sealed class PermissionRecord
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public long RoleId { get; set; }

    public InventoryId ObjectId { get; set; }

    public bool Propagate { get; set; }
}
