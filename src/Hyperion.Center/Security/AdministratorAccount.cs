using System.Security.Cryptography;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Security;

/// <summary>The built-in <c>administrator</c> user: created at first start with the Administrator role on the root folder (propagating).</summary>
public static class AdministratorAccount
{
    public const string UserName = "administrator";

    /// <summary>
    /// Creates the administrator if missing, with <paramref name="initialPassword"/> or a generated one. An existing
    /// administrator is left alone (the password is an initial one, as for the host's root).
    /// </summary>
    /// <returns>The generated password, to be shown once; null when none was generated.</returns>
    public static async Task<string?> EnsureAsync(CenterDbContext db, string? initialPassword, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        if (await db.Users.AnyAsync(u => u.Name == UserName, cancellationToken))
        {
            return null;
        }

        string? generated = null;
        var password = initialPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789", 20);
            generated = password;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new UserRecord { Name = UserName, PasswordHash = [], PasswordSalt = [], CreatedAt = time.GetUtcNow() };
        PasswordHasher.Apply(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        var role = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.AdministratorName, cancellationToken);
        db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = role.Id, ObjectId = InventoryId.RootFolder, Propagate = true });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return generated;
    }
}
