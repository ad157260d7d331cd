using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Persistence;

/// <summary>The persistence contract on a real PostgreSQL server; the class's tests share one database.</summary>
[Collection(PostgresCollectionDefinition.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresCenterPersistenceTests(PostgresServer server) : CenterPersistenceTests
{
    protected override async Task<CenterDatabaseOptions> ClassDatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.DatabaseForAsync(GetType(), cancellationToken) };

    protected override async Task<CenterDatabaseOptions> EmptyDatabaseAsync(CancellationToken cancellationToken) =>
        new() { Provider = CenterDatabaseOptions.Postgres, ConnectionString = await server.CreateDatabaseAsync(cancellationToken) };
}
