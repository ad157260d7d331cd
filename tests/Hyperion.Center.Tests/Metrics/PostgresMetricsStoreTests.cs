using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Metrics;

/// <summary>The metrics store on a real PostgreSQL server; the class's tests share one database.</summary>
[Collection(PostgresCollectionDefinition.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresMetricsStoreTests(PostgresServer server) : MetricsStoreTests
{
    protected override async Task<CenterDatabaseOptions> DatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.DatabaseForAsync(GetType(), cancellationToken) };
}
