using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Persistence;

/// <summary>
/// Creates <see cref="CenterDbContext"/>s for the configured provider: <see cref="SqliteCenterDbContext"/> or
/// <see cref="PostgresCenterDbContext"/>. Thread-safe; register it as a singleton.
/// </summary>
public sealed class CenterDbContextFactory : IDbContextFactory<CenterDbContext>
{
    private readonly Func<CenterDbContext> _create;

    public CenterDbContextFactory(CenterDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Provider = options.Provider;
        if (options.Provider == CenterDatabaseOptions.Sqlite)
        {
            var builder = new DbContextOptionsBuilder<SqliteCenterDbContext>();
            ConfigureSqlite(builder, SqliteConnectionString(options));
            var built = builder.Options;
            _create = () => new SqliteCenterDbContext(built);
        }
        else
        {
            var builder = new DbContextOptionsBuilder<PostgresCenterDbContext>();
            ConfigurePostgres(builder, options.ConnectionString!);
            var built = builder.Options;
            _create = () => new PostgresCenterDbContext(built);
        }
    }

    /// <summary><see cref="CenterDatabaseOptions.Sqlite"/> or <see cref="CenterDatabaseOptions.Postgres"/>.</summary>
    public string Provider { get; }

    public CenterDbContext CreateDbContext() => _create();

    /// <summary>The SQLite connection string the options mean: theirs, or the data directory's <c>center.db</c>.</summary>
    public static string SqliteConnectionString(CenterDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDirectory!, CenterDatabaseOptions.SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,

            // Seconds a statement waits for another connection's write lock before failing (SQLite allows one writer).
            DefaultTimeout = 30,
        }.ToString();
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(SqliteDurabilityInterceptor.Instance);

    internal static void ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString);
}
