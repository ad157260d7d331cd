using Hyperion.Center.Persistence;

namespace Hyperion.Center.Tests.Persistence;

public sealed class CenterDatabaseOptionsTests
{
    [Fact]
    public void Provider_Default_IsSqlite()
    {
        Assert.Equal(CenterDatabaseOptions.Sqlite, new CenterDatabaseOptions().Provider);
    }

    [Theory]
    [InlineData("sqlite", null, null, "data directory")]
    [InlineData("postgres", null, "/var/lib/hyperion", "connection string")]
    [InlineData("mysql", "x", "/d", "unknown provider")]
    public void Validate_Incomplete_ThrowsNamingTheProblem(string provider, string? connectionString, string? dataDirectory, string expected)
    {
        var options = new CenterDatabaseOptions { Provider = provider, ConnectionString = connectionString, DataDirectory = dataDirectory };

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SqliteConnectionString_DataDirectory_PointsAtCenterDb()
    {
        var text = CenterDbContextFactory.SqliteConnectionString(new CenterDatabaseOptions { DataDirectory = "/var/lib/hyperion" });

        Assert.Contains("Data Source=/var/lib/hyperion/center.db", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDbContext_Postgres_IsPostgresContext()
    {
        var factory = new CenterDbContextFactory(new CenterDatabaseOptions { Provider = CenterDatabaseOptions.Postgres, ConnectionString = "Host=127.0.0.1;Database=x" });

        using var db = factory.CreateDbContext();

        Assert.IsType<PostgresCenterDbContext>(db);
    }
}
