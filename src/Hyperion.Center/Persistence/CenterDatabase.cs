using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Persistence;

/// <summary>Brings the Center database to the current schema at start.</summary>
public static class CenterDatabase
{
    /// <summary>
    /// Creates the SQLite data directory if needed, applies pending migrations of the configured provider (EF Core
    /// takes a database lock, so two Centers starting together do not both migrate), then syncs the built-in roles
    /// with <see cref="BuiltInRoles"/>. Idempotent.
    /// </summary>
    public static async Task MigrateAsync(CenterDatabaseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = new CenterDbContextFactory(options);
        if (options.Provider == CenterDatabaseOptions.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Directory.CreateDirectory(options.DataDirectory!);
        }

        await using var db = factory.CreateDbContext();
        await db.Database.MigrateAsync(cancellationToken);
        await SyncBuiltInRolesAsync(db, cancellationToken);
    }

    /// <summary>Adds missing built-in roles and resets their privileges to the code's definition (built-in roles are not editable).</summary>
    internal static async Task SyncBuiltInRolesAsync(CenterDbContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Roles.Where(r => r.IsBuiltIn).ToDictionaryAsync(r => r.Name, StringComparer.Ordinal, cancellationToken);
        foreach (var definition in BuiltInRoles.All)
        {
            if (existing.TryGetValue(definition.Name, out var role))
            {
                if (!role.Privileges.SequenceEqual(definition.Privileges, StringComparer.Ordinal))
                {
                    role.Privileges = [.. definition.Privileges];
                }
            }
            else
            {
                db.Roles.Add(new RoleRecord { Name = definition.Name, IsBuiltIn = true, Privileges = [.. definition.Privileges] });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
