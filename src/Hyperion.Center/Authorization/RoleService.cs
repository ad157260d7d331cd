using Hyperion.Center.Events;
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
/// Roles. Anyone signed in may read them (vSphere shows roles to every user); creating or deleting a custom role takes
/// <see cref="Privileges.ModifyRoles"/> on the root folder. Built-in roles cannot be deleted; a role that a permission
/// uses cannot be deleted either (remove the permissions first).
/// </summary>
public sealed class RoleService(CenterDbContext db, AccessControl access, TimeProvider time)
{
    private static readonly KeysetOrder<RoleRecord> Order = KeysetOrder<RoleRecord>.By(r => r.Name);

    public static IReadOnlyList<string> AllPrivileges => Privileges.All;

    public Task<PageDto<RoleDto>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        db.Roles.AsNoTracking().ToPageAsync(Order, page, ToDto, cancellationToken);

    public async Task<RoleDto> CreateAsync(AuthenticatedUser actor, RoleCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.ModifyRoles, cancellationToken);
        if (InventoryNames.Validate(request.Name) is { } invalid)
        {
            throw new DomainException(invalid);
        }

        var privileges = request.Privileges ?? [];
        var unknown = privileges.Where(p => !Privileges.IsKnown(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"unknown privilege(s): {string.Join(", ", unknown)} (GET /api/privileges lists them)", "privileges"));
        }

        // Every role can at least see what it is granted on, as in vSphere.
        var set = privileges.Append(Privileges.SystemAnonymous).Append(Privileges.SystemView).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (await db.Roles.AnyAsync(r => r.Name == request.Name, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryDuplicateName, $"a role named '{request.Name}' exists", "name"));
        }

        var role = new RoleRecord { Name = request.Name!, Privileges = set };
        db.Roles.Add(role);
        CenterEventLog.Add(db, time, "role.created", $"role {role.Name} created with {set.Count} privileges", userName: actor.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryDuplicateName, $"a role named '{request.Name}' exists", "name"));
        }

        return ToDto(role);
    }

    public async Task DeleteAsync(AuthenticatedUser actor, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.ModifyRoles, cancellationToken);
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == name, cancellationToken)
            ?? throw new DomainException(new DomainError(ErrorCodes.RoleNotFound, $"no role '{name}'", "name"));
        if (role.IsBuiltIn)
        {
            throw new DomainException(new DomainError(ErrorCodes.RoleInUse, $"role '{name}' is built in", "name"));
        }

        var uses = await db.Permissions.CountAsync(p => p.RoleId == role.Id, cancellationToken);
        if (uses > 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.RoleInUse, $"role '{name}' is used by {uses} permission(s): remove them first", "name"));
        }

        db.Roles.Remove(role);
        CenterEventLog.Add(db, time, "role.deleted", $"role {role.Name} deleted", userName: actor.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static RoleDto ToDto(RoleRecord role) => new(role.Id, role.Name, role.IsBuiltIn, role.Privileges);
}
