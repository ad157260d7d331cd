using Hyperion.Center.Persistence.Conversions;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Persistence;

/// <summary>The Center database on SQLite; migrations in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteCenterDbContext(DbContextOptions<SqliteCenterDbContext> options) : CenterDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}
