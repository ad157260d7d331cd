using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Authorization;

/// <summary>
/// vSphere's permission rule, as a pure function. For one user and one object, walk from the object up through its
/// ancestors; the first level holding a permission for the user decides alone (nearest wins, so a Read-only
/// permission on a VM folder overrides Administrator on the datacenter). A permission on the object itself always
/// applies; one on an ancestor applies only if it propagates. Several permissions for the user on the decisive
/// level (which the store prevents for one user, but which groups will bring) union their privileges.
/// </summary>
public static class EffectivePrivileges
{
    /// <param name="principal">The user name.</param>
    /// <param name="ancestry">The object first, then its parent, up to the root folder.</param>
    /// <param name="permissions">Permissions on any objects (those off the path or for other principals are ignored).</param>
    /// <returns>The user's privileges on <c>ancestry[0]</c>; empty when no permission applies.</returns>
    public static IReadOnlySet<string> Evaluate(string principal, IReadOnlyList<InventoryId> ancestry, IEnumerable<PermissionEntry> permissions)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(ancestry);
        ArgumentNullException.ThrowIfNull(permissions);

        var mine = permissions.Where(p => string.Equals(p.Principal, principal, StringComparison.Ordinal)).ToList();
        for (var level = 0; level < ancestry.Count; level++)
        {
            var here = mine.Where(p => p.ObjectId == ancestry[level] && (level == 0 || p.Propagate)).ToList();
            if (here.Count > 0)
            {
                return here.SelectMany(p => p.Privileges).ToHashSet(StringComparer.Ordinal);
            }
        }

        return new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>Whether <see cref="Evaluate"/> grants <paramref name="privilege"/>.</summary>
    public static bool Has(string principal, IReadOnlyList<InventoryId> ancestry, IEnumerable<PermissionEntry> permissions, string privilege) =>
        Evaluate(principal, ancestry, permissions).Contains(privilege);
}
