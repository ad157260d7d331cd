using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Tags;

[Collection(PostgresCollectionDefinition.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresTagServiceTests(PostgresServer server) : TagServiceTests
{
    protected override async Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync(cancellationToken) };
}
