using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hyperion.Center.Persistence.DesignTime;

/// <summary>For <c>dotnet ef migrations add X --context SqliteCenterDbContext</c>; the file is never opened.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCenterDbContext>
{
    public SqliteCenterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteCenterDbContext>();
        CenterDbContextFactory.ConfigureSqlite(builder, "Data Source=design-time.db");
        return new SqliteCenterDbContext(builder.Options);
    }
}
