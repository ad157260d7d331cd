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

    /// <summary>
    /// The rule for an object with several parents, as vSphere's VM (its VM folder, and its host, cluster or resource
    /// pool): the object's own permissions decide if it has any; otherwise each path decides as in the single-path
    /// rule and the answers are added together.
    /// </summary>
    /// <param name="paths">Each path starts with the object itself and runs up to the root folder.</param>
    public static IReadOnlySet<string> Evaluate(string principal, IReadOnlyList<IReadOnlyList<InventoryId>> paths, IEnumerable<PermissionEntry> permissions)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(permissions);
        var list = permissions as IReadOnlyCollection<PermissionEntry> ?? permissions.ToList();
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (path.Count > 0 && list.Any(p => p.ObjectId == path[0] && string.Equals(p.Principal, principal, StringComparison.Ordinal)))
            {
                return Evaluate(principal, path, list);
            }

            result.UnionWith(Evaluate(principal, path, list));
        }

        return result;
    }

    /// <summary>Whether <see cref="Evaluate"/> grants <paramref name="privilege"/>.</summary>
    public static bool Has(string principal, IReadOnlyList<InventoryId> ancestry, IEnumerable<PermissionEntry> permissions, string privilege) =>
        Evaluate(principal, ancestry, permissions).Contains(privilege);
}
