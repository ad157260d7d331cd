using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Authorization;

/// <summary>
/// A permission as the evaluator needs it: the principal (user name), the object it is set on, the privileges of
/// its role, and whether it propagates to the object's descendants.
/// </summary>
public sealed record PermissionEntry(string Principal, InventoryId ObjectId, IReadOnlyCollection<string> Privileges, bool Propagate);
