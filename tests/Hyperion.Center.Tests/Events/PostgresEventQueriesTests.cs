using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Events;

[Collection(PostgresCollectionDefinition.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresEventQueriesTests(PostgresServer server) : EventQueriesTests
{
    protected override async Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync(cancellationToken) };
}
