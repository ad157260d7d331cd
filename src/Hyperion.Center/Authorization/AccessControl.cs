using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Authorization;

/// <summary>
/// Privilege checks for one request: every service calls <see cref="RequireAsync"/> before it changes anything, and
/// lists ask <see cref="VisibilityAsync"/> once for all their rows. Scoped to the request: the user's permissions and
/// the inventory tree are read at most once per request.
/// </summary>
public sealed class AccessControl(CenterDbContext db)
{
    private readonly Dictionary<string, IReadOnlyList<PermissionEntry>> _permissions = new(StringComparer.Ordinal);
    private InventoryTree? _tree;

    public Task<IReadOnlySet<string>> PrivilegesAsync(string userName, InventoryId objectId, CancellationToken cancellationToken) =>
        EffectivePrivilegesQuery.GetAsync(db, userName, objectId, cancellationToken);

    public async Task<bool> HasAsync(string userName, InventoryId objectId, string privilege, CancellationToken cancellationToken) =>
        (await PrivilegesAsync(userName, objectId, cancellationToken)).Contains(privilege);

    /// <exception cref="DomainException"><see cref="ErrorCodes.Forbidden"/> when the user lacks <paramref name="privilege"/> on the object.</exception>
    public async Task RequireAsync(string userName, InventoryId objectId, string privilege, CancellationToken cancellationToken)
    {
        if (!await HasAsync(userName, objectId, privilege, cancellationToken))
        {
            throw new DomainException(ErrorCodes.Forbidden, $"user '{userName}' lacks privilege {privilege} on {objectId}");
        }
    }

    /// <summary>
    /// An evaluator of <paramref name="privilege"/> for many objects: one query for the user's permissions, and one read of
    /// the inventory tree unless the user holds the privilege everywhere.
    /// </summary>
    public async Task<VisibilityEvaluator> VisibilityAsync(string userName, string privilege, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(privilege);
        if (!_permissions.TryGetValue(userName, out var permissions))
        {
            var rows = await (
                    from p in db.Permissions.AsNoTracking()
                    join u in db.Users on p.UserId equals u.Id
                    join r in db.Roles on p.RoleId equals r.Id
                    where u.Name == userName
                    select new { p.ObjectId, p.Propagate, r.Privileges })
                .ToListAsync(cancellationToken);
            _permissions[userName] = permissions = rows.Select(r => new PermissionEntry(userName, r.ObjectId, r.Privileges, r.Propagate)).ToList();
        }

        if (new PermissionIndex(userName, permissions, _ => null).HoldsEverywhere(privilege))
        {
            return VisibilityEvaluator.Everything(privilege);
        }

        var tree = await TreeAsync(cancellationToken);
        return VisibilityEvaluator.For(privilege, new PermissionIndex(userName, permissions, tree.ParentOf), tree);
    }

    /// <summary>The inventory tree as this request first read it.</summary>
    public async Task<InventoryTree> TreeAsync(CancellationToken cancellationToken) =>
        _tree ??= await InventoryTree.LoadAsync(db, cancellationToken);
}
