using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hyperion.Center.Persistence.DesignTime;

/// <summary>For <c>dotnet ef migrations add X --context PostgresCenterDbContext</c>; no server is contacted.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCenterDbContext>
{
    public PostgresCenterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresCenterDbContext>();
        CenterDbContextFactory.ConfigurePostgres(builder, "Host=localhost;Database=hyperion_design");
        return new PostgresCenterDbContext(builder.Options);
    }
}
