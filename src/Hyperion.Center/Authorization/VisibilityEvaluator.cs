using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Authorization;

/// <summary>
/// Decides one privilege for one user on many objects, for lists. Built by <see cref="AccessControl.VisibilityAsync"/>
/// from one query for the user's permissions and, unless the user holds the privilege everywhere (an administrator:
/// <see cref="Unrestricted"/>, no filtering at all), one read of the <see cref="InventoryTree"/>. Every answer follows
/// <see cref="EffectivePrivileges"/> through <see cref="PermissionIndex"/>. For paged lists the decision is pushed into
/// SQL (<see cref="Filter{T}"/>): a row is visible when its parent hands the privilege down and it has no permission of
/// its own, or its own permission grants it — so the database pages over visible rows only, and a page costs the same
/// whatever the user may see.
/// </summary>
public sealed class VisibilityEvaluator
{
    private readonly PermissionIndex? _index;
    private readonly InventoryTree? _tree;

    private VisibilityEvaluator(string privilege, PermissionIndex? index, InventoryTree? tree)
    {
        Privilege = privilege;
        _index = index;
        _tree = tree;
    }

    public string Privilege { get; }

    /// <summary>The user holds <see cref="Privilege"/> on every object (propagating from the root folder, overridden nowhere).</summary>
    public bool Unrestricted => _index is null;

    public static VisibilityEvaluator Everything(string privilege) => new(privilege, null, null);

    public static VisibilityEvaluator For(string privilege, PermissionIndex index, InventoryTree tree)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(tree);
        return new(privilege, index, tree);
    }

    /// <summary>Whether the user holds the privilege on <paramref name="id"/>, an object of the tree (not a VM: use the overload with its folder).</summary>
    public bool Allows(InventoryId id) => _index is null || (_tree!.Contains(id) && _index.On(id).Contains(Privilege));

    /// <summary>Whether the user holds the privilege on <paramref name="id"/> whose parent is <paramref name="parent"/> (a VM and its folder).</summary>
    public bool Allows(InventoryId id, InventoryId parent) => _index is null || _index.On(id, parent).Contains(Privilege);

    /// <summary>Whether the user holds the privilege on a VM in <paramref name="folder"/> registered on <paramref name="host"/> (both paths hand down).</summary>
    public bool AllowsVm(InventoryId id, InventoryId folder, InventoryId? host) => _index is null || _index.On(id, folder, host).Contains(Privilege);

    /// <summary>The VMs the user may see: through their folder or their host (vSphere's two inheritance paths), unless their own permission says otherwise.</summary>
    public IQueryable<VmRecord> FilterVms(IQueryable<VmRecord> vms)
    {
        ArgumentNullException.ThrowIfNull(vms);
        return _index is null ? vms : vms.Where(VmPredicate());
    }

    /// <summary>
    /// The rows of <paramref name="query"/> the user may see, for objects of one <paramref name="kind"/>:
    /// <c>(parent IN handing-down parents AND id NOT IN own-denied) OR id IN own-granted</c>.
    /// </summary>
    /// <param name="candidateParents">The containers rows of this kind can sit in (e.g. VM folders for VMs); only these are sent to the database.</param>
    public IQueryable<T> Filter<T>(
        IQueryable<T> query,
        InventoryObjectKind kind,
        Expression<Func<T, InventoryId>> id,
        Expression<Func<T, InventoryId?>> parent,
        Func<InventoryTree, IEnumerable<InventoryId>> candidateParents)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(candidateParents);
        return _index is null ? query : query.Where(Predicate(kind, id, parent, candidateParents(_tree!)));
    }

    /// <summary>
    /// The rows of <paramref name="query"/> about an object the user may see, whatever its kind (events, permissions):
    /// objects of the tree are decided here and sent as a list; VMs through a subquery over <paramref name="vms"/>.
    /// Rows about an object that no longer exists are left out unless the user is <see cref="Unrestricted"/>.
    /// </summary>
    /// <param name="withoutObject">Whether rows about no object (Center-level) are kept.</param>
    /// <param name="orElse">Rows visible whatever their object (e.g. tasks the user started), or null.</param>
    public IQueryable<T> FilterByObject<T>(
        IQueryable<T> query,
        Expression<Func<T, InventoryId?>> objectId,
        IQueryable<VmRecord> vms,
        bool withoutObject,
        Expression<Func<T, bool>>? orElse = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(vms);
        Expression<Func<T, bool>> visible;
        if (_index is null)
        {
            if (withoutObject)
            {
                return query;
            }

            visible = Compose(objectId, o => o != null);
        }
        else
        {
            var visibleObjects = _tree!.Objects.Where(Allows).ToList();
            var visibleVms = vms.Where(VmPredicate());
            visible = Compose(objectId, o => o == null ? withoutObject : visibleObjects.Contains(o.Value) || visibleVms.Any(v => v.Id == o));
        }

        if (orElse is not null)
        {
            var also = new ParameterSwap(orElse.Parameters[0], visible.Parameters[0]).Visit(orElse.Body);
            visible = Expression.Lambda<Func<T, bool>>(Expression.OrElse(visible.Body, also), visible.Parameters);
        }

        return query.Where(visible);
    }

    private Expression<Func<VmRecord, bool>> VmPredicate() => Predicate<VmRecord>(
        InventoryObjectKind.Vm,
        v => v.Id,
        v => v.FolderId,
        _tree!.Folders(FolderKind.Vm),
        v => v.HostId,
        _tree.Objects.Where(o => o.Kind == InventoryObjectKind.Host));

    private Expression<Func<T, bool>> Predicate<T>(
        InventoryObjectKind kind,
        Expression<Func<T, InventoryId>> id,
        Expression<Func<T, InventoryId?>> parent,
        IEnumerable<InventoryId> candidateParents,
        Expression<Func<T, InventoryId?>>? secondParent = null,
        IEnumerable<InventoryId>? secondCandidates = null)
    {
        var index = _index!;
        var handing = candidateParents.Where(p => index.HandedDownBy(p).Contains(Privilege)).Select(p => (InventoryId?)p).ToList();
        var handingSecond = (secondCandidates ?? []).Where(p => index.HandedDownBy(p).Contains(Privilege)).Select(p => (InventoryId?)p).ToList();
        var own = index.ObjectsWithPermissions.Where(o => o.Kind == kind).ToList();
        var granted = own.Where(o => index.On(o).Contains(Privilege)).ToList();
        var denied = own.Where(o => !index.On(o).Contains(Privilege)).ToList();

        var row = Expression.Parameter(typeof(T), "row");
        var idOf = new ParameterSwap(id.Parameters[0], row).Visit(id.Body);
        var parentOf = new ParameterSwap(parent.Parameters[0], row).Visit(parent.Body);
        Expression? visible = null;
        if (handing.Count > 0)
        {
            visible = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(InventoryId?)], AsParameter(handing), parentOf);
        }

        if (secondParent is not null && handingSecond.Count > 0)
        {
            var secondOf = new ParameterSwap(secondParent.Parameters[0], row).Visit(secondParent.Body);
            var viaSecond = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(InventoryId?)], AsParameter(handingSecond), secondOf);
            visible = visible is null ? viaSecond : Expression.OrElse(visible, viaSecond);
        }

        if (visible is not null)
        {
            if (denied.Count > 0)
            {
                visible = Expression.AndAlso(visible, Expression.Not(ContainsId(denied, idOf)));
            }
        }

        if (granted.Count > 0)
        {
            var grant = ContainsId(granted, idOf);
            visible = visible is null ? grant : Expression.OrElse(visible, grant);
        }

        return Expression.Lambda<Func<T, bool>>(visible ?? Expression.Constant(false), row);
    }

    private static MethodCallExpression ContainsId(List<InventoryId> ids, Expression id) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(InventoryId)], AsParameter(ids), id);

    /// <summary>A list as a closure field rather than a constant: EF Core sends it as parameters, so the SQL (and its cached plan) does not change with the values.</summary>
    private static MemberExpression AsParameter<TItem>(List<TItem> items) =>
        Expression.Field(Expression.Constant(new StrongBox<List<TItem>>(items)), nameof(StrongBox<List<TItem>>.Value));

    private static Expression<Func<T, bool>> Compose<T>(Expression<Func<T, InventoryId?>> objectId, Expression<Func<InventoryId?, bool>> test)
    {
        var body = new ParameterSwap(test.Parameters[0], objectId.Body).Visit(test.Body);
        return Expression.Lambda<Func<T, bool>>(body, objectId.Parameters);
    }

    private sealed class ParameterSwap(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
