using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Persistence;

/// <summary>The Center database on PostgreSQL; migrations in <c>Persistence/Migrations/Postgres</c>. Times are <c>timestamptz</c>.</summary>
public sealed class PostgresCenterDbContext(DbContextOptions<PostgresCenterDbContext> options) : CenterDbContext(options);
