using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Authorization;

/// <summary>Loads what <see cref="EffectivePrivileges"/> needs for one user and object, and evaluates it.</summary>
public static class EffectivePrivilegesQuery
{
    /// <returns>The user's privileges on the object; empty for an unknown user or object.</returns>
    public static async Task<IReadOnlySet<string>> GetAsync(CenterDbContext db, string userName, InventoryId objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var paths = await InventoryAncestry.GetPathsAsync(db, objectId, cancellationToken);
        var ancestry = paths.SelectMany(p => p).Distinct().ToList();
        var entries = await (
                from p in db.Permissions.AsNoTracking()
                join u in db.Users on p.UserId equals u.Id
                join r in db.Roles on p.RoleId equals r.Id
                where u.Name == userName && ancestry.Contains(p.ObjectId)
                select new { p.ObjectId, p.Propagate, r.Privileges })
            .ToListAsync(cancellationToken);

        return EffectivePrivileges.Evaluate(
            userName,
            paths,
            entries.Select(e => new PermissionEntry(userName, e.ObjectId, e.Privileges, e.Propagate)));
    }
}
