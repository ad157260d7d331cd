using Hyperion.Center.Persistence;
using Hyperion.Testing;
using Microsoft.Data.Sqlite;

namespace Hyperion.Center.Tests.Fixtures;

/// <summary>A migrated Center database in a fresh SQLite file, removed on dispose.</summary>
public sealed class SqliteCenter : IAsyncDisposable
{
    private readonly TestDirectory _directory;

    private SqliteCenter(TestDirectory directory, CenterDbContextFactory factory)
    {
        _directory = directory;
        Factory = factory;
    }

    public CenterDbContextFactory Factory { get; }

    public static async Task<SqliteCenter> CreateAsync(CancellationToken cancellationToken)
    {
        var directory = new TestDirectory("hy-center");
        var options = new CenterDatabaseOptions { DataDirectory = directory.Path };
        await CenterDatabase.MigrateAsync(options, cancellationToken);
        return new SqliteCenter(directory, new CenterDbContextFactory(options));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
