using Hyperion.Center.Events;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Authorization;

/// <summary>
/// Permissions: a role for a user on an inventory object. Setting one takes <see cref="Privileges.ModifyPermissions"/>
/// on the object and records a <c>permission.changed</c> event with it; listing shows the permissions on objects where
/// the caller holds <see cref="Privileges.SystemRead"/> (as vSphere's RetrieveEntityPermissions), oldest first.
/// </summary>
public sealed class PermissionService(CenterDbContext db, AccessControl access, TimeProvider time)
{
    private static readonly KeysetOrder<PermissionRecord> Order = KeysetOrder<PermissionRecord>.By(p => p.Id);

    /// <param name="objectText">Only the permissions set on this object (an id), or null.</param>
    /// <param name="user">Only this user's permissions, or null.</param>
    public async Task<PageDto<PermissionDto>> ListAsync(AuthenticatedUser actor, string? objectText, string? user, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<PermissionRecord> permissions = db.Permissions.AsNoTracking();
        if (objectText is not null)
        {
            if (!InventoryId.TryParse(objectText, out var objectId))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"object '{objectText}' is not an inventory id such as vm-42", "object"));
            }

            permissions = permissions.Where(p => p.ObjectId == objectId);
        }

        if (user is not null)
        {
            permissions = permissions.Where(p => db.Users.Any(u => u.Id == p.UserId && u.Name == user));
        }

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemRead, cancellationToken);
        permissions = visibility.FilterByObject(permissions, p => p.ObjectId, db.Vms.AsNoTracking(), withoutObject: false);
        return await permissions.ToPageAsync(
            Order,
            page,
            async (rows, ct) =>
            {
                var userIds = rows.Select(p => p.UserId).Distinct().ToList();
                var roleIds = rows.Select(p => p.RoleId).Distinct().ToList();
                var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
                var roles = await db.Roles.AsNoTracking().Where(r => roleIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);
                return rows.Select(p => new PermissionDto(users[p.UserId], roles[p.RoleId], p.ObjectId.Value, p.Propagate)).ToList();
            },
            cancellationToken);
    }

    /// <summary>Grants the role, replacing the user's existing permission on the object (one per user and object, as in vSphere).</summary>
    public async Task<PermissionDto> SetAsync(AuthenticatedUser actor, PermissionCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (!InventoryId.TryParse(request.Object, out var objectId) || (await InventoryAncestry.GetAsync(db, objectId, cancellationToken)).Count == 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no inventory object '{request.Object}'", "object"));
        }

        await access.RequireAsync(actor.Name, objectId, Privileges.ModifyPermissions, cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Name == request.User, cancellationToken)
            ?? throw new DomainException(new DomainError(ErrorCodes.UserNotFound, $"no user '{request.User}'", "user"));
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == request.Role, cancellationToken)
            ?? throw new DomainException(new DomainError(ErrorCodes.RoleNotFound, $"no role '{request.Role}'", "role"));

        var permission = await db.Permissions.SingleOrDefaultAsync(p => p.UserId == user.Id && p.ObjectId == objectId, cancellationToken);
        if (permission is null)
        {
            permission = new PermissionRecord { UserId = user.Id, ObjectId = objectId };
            db.Permissions.Add(permission);
        }

        permission.RoleId = role.Id;
        permission.Propagate = request.Propagate;
        var objectName = await InventoryObjectNames.GetAsync(db, objectId, cancellationToken);
        CenterEventLog.Add(
            db,
            time,
            CenterEventTypes.PermissionChanged,
            $"user {user.Name} granted role {role.Name} on {objectName ?? objectId.Value}{(request.Propagate ? " (propagating)" : string.Empty)}",
            objectId,
            objectName,
            actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        return new PermissionDto(user.Name, role.Name, objectId.Value, permission.Propagate);
    }
}
