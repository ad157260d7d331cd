using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Authorization;

/// <summary>Permissions: a role for a user on an inventory object. Setting one takes <see cref="Privileges.ModifyPermissions"/> on the object.</summary>
public sealed class PermissionService(CenterDbContext db, AccessControl access)
{
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
        await db.SaveChangesAsync(cancellationToken);
        return new PermissionDto(user.Name, role.Name, objectId.Value, permission.Propagate);
    }
}
