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
/// Local users. Managing them takes <see cref="Privileges.ManageUsers"/> on the root folder; listing them takes
/// <see cref="Privileges.SystemView"/> there (whoever sees the inventory's top may pick users to grant permissions to).
/// </summary>
public sealed class UserService(CenterDbContext db, AccessControl access, TimeProvider time)
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 1024;

    private static readonly KeysetOrder<UserRecord> Order = KeysetOrder<UserRecord>.By(u => u.Name);

    /// <param name="name">Substring of the name (ASCII case-insensitive), or null.</param>
    public async Task<PageDto<UserDto>> ListAsync(AuthenticatedUser actor, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.SystemView, cancellationToken);
        IQueryable<UserRecord> users = db.Users.AsNoTracking();
        users = NameMatch.Containing(users, u => u.Name, name);

        return await users.ToPageAsync(Order, page, u => new UserDto(u.Name, u.CreatedAt), cancellationToken);
    }

    public async Task<UserDto> CreateAsync(AuthenticatedUser actor, UserCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        await access.RequireAsync(actor.Name, InventoryId.RootFolder, Privileges.ManageUsers, cancellationToken);
        if (InventoryNames.Validate(request.Name) is { } bad)
        {
            throw new DomainException(bad with { Code = ErrorCodes.UserInvalid });
        }

        if (request.Password is not { Length: >= MinPasswordLength and <= MaxPasswordLength })
        {
            throw new DomainException(new DomainError(ErrorCodes.UserInvalid, $"password must be {MinPasswordLength} to {MaxPasswordLength} characters", "password"));
        }

        var name = request.Name!;
        if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
        {
            throw DuplicateName(name);
        }

        var user = new UserRecord { Name = name, PasswordHash = [], PasswordSalt = [], CreatedAt = time.GetUtcNow() };
        PasswordHasher.Apply(user, request.Password);
        db.Users.Add(user);
        CenterEventLog.Add(db, time, CenterEventTypes.UserCreated, $"user {name} created", userName: actor.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            throw DuplicateName(name);
        }

        return new UserDto(user.Name, user.CreatedAt);
    }

    private static DomainException DuplicateName(string name) => new(new DomainError(ErrorCodes.UserDuplicateName, $"a user named '{name}' already exists", "name"));
}
