using Hyperion.Center.Persistence;
using Hyperion.Testing;
using Microsoft.Data.Sqlite;

namespace Hyperion.Center.Tests.Persistence;

/// <summary>The persistence contract on SQLite: a fresh <c>center.db</c> file per test, in a temp data directory.</summary>
public sealed class SqliteCenterPersistenceTests : CenterPersistenceTests
{
    private readonly List<TestDirectory> _directories = [];

    protected override Task<CenterDatabaseOptions> ClassDatabaseAsync(CancellationToken cancellationToken) => EmptyDatabaseAsync(cancellationToken);

    protected override Task<CenterDatabaseOptions> EmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        var directory = new TestDirectory("hy-center");
        _directories.Add(directory);

        // A data directory that does not exist yet: MigrateAsync creates it, as at a first Center start.
        return Task.FromResult(new CenterDatabaseOptions { DataDirectory = directory.Combine("data") });
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }

        return Task.CompletedTask;
    }
}
