using Hyperion.Domain.Inventory;

namespace Hyperion.Domain.Authorization;

/// <summary>
/// <see cref="EffectivePrivileges"/> for one principal and many objects: the principal's permissions indexed by
/// object, plus what each container hands down to its children, computed once per container. Deciding N objects then
/// costs one dictionary lookup each (and one walk per distinct container), not one ancestry walk each. The rule is
/// the same: the object's own permissions decide if it has any (propagating or not, so an explicit "No access" on a
/// child overrides an ancestor's grant); otherwise the nearest ancestor with a propagating permission decides.
/// </summary>
public sealed class PermissionIndex
{
    /// <summary>Deeper than any real tree; stops a corrupt parent cycle from looping forever.</summary>
    public const int MaxDepth = 128;

    private static readonly IReadOnlySet<string> Nothing = new HashSet<string>(StringComparer.Ordinal);

    private readonly Dictionary<InventoryId, List<PermissionEntry>> _byObject = [];
    private readonly Dictionary<InventoryId, IReadOnlySet<string>> _own = [];
    private readonly Dictionary<InventoryId, IReadOnlySet<string>> _handedDown = [];
    private readonly Func<InventoryId, InventoryId?> _parentOf;

    /// <param name="principal">The user name.</param>
    /// <param name="permissions">Permissions on any objects; those of other principals are ignored.</param>
    /// <param name="parentOf">The parent of an object (null for the root folder or an object it does not know).</param>
    public PermissionIndex(string principal, IEnumerable<PermissionEntry> permissions, Func<InventoryId, InventoryId?> parentOf)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(parentOf);
        _parentOf = parentOf;
        foreach (var permission in permissions.Where(p => string.Equals(p.Principal, principal, StringComparison.Ordinal)))
        {
            if (!_byObject.TryGetValue(permission.ObjectId, out var list))
            {
                _byObject[permission.ObjectId] = list = [];
            }

            list.Add(permission);
        }
    }

    /// <summary>The objects carrying a permission of the principal (where the inherited answer may change).</summary>
    public IEnumerable<InventoryId> ObjectsWithPermissions => _byObject.Keys;

    /// <summary>
    /// Whether the principal holds <paramref name="privilege"/> on every object there is: a propagating permission on
    /// the root folder grants it and no permission anywhere lacks it (so no child can override it away).
    /// </summary>
    public bool HoldsEverywhere(string privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        return _byObject.TryGetValue(InventoryId.RootFolder, out var root)
            && root.Any(p => p.Propagate && p.Privileges.Contains(privilege))
            && _byObject.Values.All(list => list.All(p => p.Privileges.Contains(privilege)));
    }

    /// <summary>The privileges on <paramref name="id"/>, walking up with the parent function.</summary>
    public IReadOnlySet<string> On(InventoryId id) => On(id, _parentOf(id));

    /// <summary>The privileges on <paramref name="id"/> whose parent the caller already knows (a VM row and its folder).</summary>
    public IReadOnlySet<string> On(InventoryId id, InventoryId? parent)
    {
        if (_byObject.ContainsKey(id))
        {
            return Own(id);
        }

        return parent is { } p ? HandedDownBy(p) : Nothing;
    }

    /// <summary>
    /// The privileges on <paramref name="id"/> with two parents (a VM: its folder and its host): its own permissions
    /// if it has any, else what both parents hand down, added together.
    /// </summary>
    public IReadOnlySet<string> On(InventoryId id, InventoryId? parent, InventoryId? secondParent)
    {
        if (_byObject.ContainsKey(id) || secondParent is null)
        {
            return On(id, parent);
        }

        var first = parent is { } p ? HandedDownBy(p) : Nothing;
        var second = HandedDownBy(secondParent.Value);
        return second.Count == 0 ? first : first.Count == 0 ? second : first.Union(second).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// What a child of <paramref name="container"/> without a permission of its own gets: the privileges of the
    /// nearest propagating permission at or above the container; empty when none.
    /// </summary>
    public IReadOnlySet<string> HandedDownBy(InventoryId container)
    {
        if (_handedDown.TryGetValue(container, out var known))
        {
            return known;
        }

        // Walk up to the first container that is decided (memoized or holding a propagating permission), then fill
        // in the memo on the way back down, so each container is computed once.
        var path = new List<InventoryId>();
        InventoryId? current = container;
        IReadOnlySet<string> answer = Nothing;
        while (current is { } at)
        {
            if (_handedDown.TryGetValue(at, out known))
            {
                answer = known;
                break;
            }

            if (path.Count == MaxDepth || path.Contains(at))
            {
                throw new InvalidOperationException($"inventory parent chain of {container} loops or is deeper than {MaxDepth}");
            }

            path.Add(at);
            if (_byObject.TryGetValue(at, out var here) && here.Any(p => p.Propagate))
            {
                answer = Union(here.Where(p => p.Propagate));
                break;
            }

            current = _parentOf(at);
        }

        foreach (var at in path)
        {
            _handedDown[at] = answer;
        }

        return answer;
    }

    private IReadOnlySet<string> Own(InventoryId id)
    {
        if (!_own.TryGetValue(id, out var set))
        {
            _own[id] = set = Union(_byObject[id]);
        }

        return set;
    }

    private static HashSet<string> Union(IEnumerable<PermissionEntry> permissions) =>
        permissions.SelectMany(p => p.Privileges).ToHashSet(StringComparer.Ordinal);
}
