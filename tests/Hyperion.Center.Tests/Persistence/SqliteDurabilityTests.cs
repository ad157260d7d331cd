using Hyperion.Center.Persistence;
using Hyperion.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tests.Persistence;

/// <summary>
/// What "a committed change survives kill -9" rests on for SQLite: WAL and synchronous=FULL on every connection the
/// Center opens. The kill -9 test itself comes with the Center process (it needs a process to kill).
/// </summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly TestDirectory _directory = new("hy-center");

    [Fact]
    public async Task MigrateAsync_DefaultSqlite_CreatesCenterDbInDataDirectory()
    {
        var options = new CenterDatabaseOptions { DataDirectory = _directory.Combine("data") };

        await CenterDatabase.MigrateAsync(options, CancellationToken.None);

        Assert.True(File.Exists(_directory.Combine("data", "center.db")));
    }

    [Fact]
    public async Task CreateDbContext_SqliteConnection_HasWalSynchronousFullAndForeignKeys()
    {
        var options = new CenterDatabaseOptions { DataDirectory = _directory.Combine("data") };
        await CenterDatabase.MigrateAsync(options, CancellationToken.None);
        await using var db = new CenterDbContextFactory(options).CreateDbContext();

        await db.Database.OpenConnectionAsync();

        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
        Assert.Equal("2", await PragmaAsync(db, "synchronous")); // 2 = FULL
        Assert.Equal("1", await PragmaAsync(db, "foreign_keys"));
    }

    [Fact]
    public async Task SaveChangesAsync_Committed_VisibleToIndependentConnection()
    {
        var options = new CenterDatabaseOptions { DataDirectory = _directory.Combine("data") };
        await CenterDatabase.MigrateAsync(options, CancellationToken.None);
        await using (var db = new CenterDbContextFactory(options).CreateDbContext())
        {
            db.Events.Add(new Center.Persistence.Entities.EventRecord { Time = DateTimeOffset.UnixEpoch, Type = "test.committed", Message = "m" });
            await db.SaveChangesAsync();
        }

        // A plain connection that bypasses EF, its pool and its interceptor reads the committed row from the WAL.
        await using var raw = new SqliteConnection($"Data Source={_directory.Combine("data", "center.db")};Pooling=False");
        await raw.OpenAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"Events\" WHERE \"Type\" = 'test.committed'";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static async Task<string?> PragmaAsync(CenterDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
