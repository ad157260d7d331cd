using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Inventory;

[Collection(PostgresCollectionDefinition.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresVmQueriesTests(PostgresServer server) : VmQueriesTests
{
    protected override async Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync(cancellationToken) };
}
