using Hyperion.Center.Persistence;
using Hyperion.Testing;
using Microsoft.Data.Sqlite;

namespace Hyperion.Center.Tests.Metrics;

/// <summary>The metrics store on SQLite: a fresh <c>center.db</c> per test.</summary>
public sealed class SqliteMetricsStoreTests : MetricsStoreTests, IDisposable
{
    private readonly TestDirectory _directory = new("hy-metrics");

    protected override Task<CenterDatabaseOptions> DatabaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new CenterDatabaseOptions { DataDirectory = _directory.Path });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
