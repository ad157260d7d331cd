using Hyperion.Center.Persistence;
using Hyperion.Center.Tests.Fixtures;

namespace Hyperion.Center.Tests.Inventory;

public sealed class SqliteVmQueriesTests : VmQueriesTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    protected override Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken) => Task.FromResult(_databases.Create());
}
