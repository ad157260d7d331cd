using Hyperion.Center.Persistence;
using Hyperion.Testing;
using Microsoft.Data.Sqlite;

namespace Hyperion.Center.Tests.Fixtures;

/// <summary>Fresh SQLite Center databases, each in its own temp data directory, removed on dispose.</summary>
public sealed class SqliteDatabases : IDisposable
{
    private readonly List<TestDirectory> _directories = [];

    public CenterDatabaseOptions Create()
    {
        var directory = new TestDirectory("hy-center");
        lock (_directories)
        {
            _directories.Add(directory);
        }

        return new CenterDatabaseOptions { DataDirectory = directory.Path };
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }
}
