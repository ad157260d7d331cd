using Hyperion.Contracts.Center;
using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Admin;

/// <summary>A propagating permission set on an ancestor of the object, and whether it decides the user's privileges there.</summary>
/// <param name="Permission">The permission as the Center lists it.</param>
/// <param name="SourceName">The ancestor's display name (its id when it has none).</param>
/// <param name="InEffect">False when a nearer permission of the same user overrides it (nearest wins, as in vSphere).</param>
public sealed record InheritedGrant(PermissionDto Permission, string SourceName, bool InEffect);

/// <summary>The Permissions tab of one object: what is set on it, and what it inherits from its ancestors.</summary>
/// <param name="Defined">Permissions set on the object itself (they apply whether or not they propagate).</param>
/// <param name="Inherited">Propagating permissions on its ancestors, nearest ancestor first.</param>
public sealed record ObjectPermissionView(IReadOnlyList<PermissionDto> Defined, IReadOnlyList<InheritedGrant> Inherited)
{
    /// <summary>
    /// Applies the Center's rule (<see cref="Hyperion.Domain.Authorization.EffectivePrivileges"/>) to tell which inherited
    /// permissions decide: on each path from the object up to the root folder the user's nearest permission wins; the
    /// object's own permission overrides every path.
    /// </summary>
    /// <param name="paths">The paths the Center evaluates (object first, root folder last; a VM also has one through its host).</param>
    /// <param name="onObject">Permissions set on the object.</param>
    /// <param name="onAncestors">Permissions set on any ancestor (non-propagating ones are dropped).</param>
    /// <param name="names">Display names of the ancestors.</param>
    public static ObjectPermissionView Build(
        IReadOnlyList<IReadOnlyList<InventoryId>> paths,
        IReadOnlyList<PermissionDto> onObject,
        IEnumerable<PermissionDto> onAncestors,
        IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onObject);
        ArgumentNullException.ThrowIfNull(onAncestors);
        ArgumentNullException.ThrowIfNull(names);
        var propagating = onAncestors.Where(p => p.Propagate).ToList();
        var ownUsers = onObject.Select(p => p.User).ToHashSet(StringComparer.Ordinal);

        // The ancestors, nearest first over all paths (the first path is the inventory's own).
        var order = paths.SelectMany(p => p.Skip(1).Select((id, index) => (id.Value, Depth: index)))
            .GroupBy(a => a.Value, StringComparer.Ordinal)
            .Select(g => (Id: g.Key, Depth: g.Min(a => a.Depth)))
            .OrderBy(a => a.Depth)
            .Select((a, index) => (a.Id, index))
            .ToDictionary(a => a.Id, a => a.index, StringComparer.Ordinal);

        bool Decides(PermissionDto permission) =>
            !ownUsers.Contains(permission.User) && paths.Any(path =>
            {
                var at = IndexOf(path, permission.Object);
                return at > 0 && !path.Skip(1).Take(at - 1).Any(nearer =>
                    propagating.Any(p => p.User == permission.User && p.Object == nearer.Value));
            });

        var inherited = propagating
            .Where(p => order.ContainsKey(p.Object))
            .OrderBy(p => order[p.Object])
            .ThenBy(p => p.User, StringComparer.Ordinal)
            .Select(p => new InheritedGrant(p, names.GetValueOrDefault(p.Object, p.Object), Decides(p)))
            .ToList();
        return new ObjectPermissionView(onObject, inherited);
    }

    private static int IndexOf(IReadOnlyList<InventoryId> path, string id)
    {
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i].Value == id)
            {
                return i;
            }
        }

        return -1;
    }
}
