using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hyperion.Center.Persistence;

/// <summary>
/// Sets the SQLite pragmas the Center's durability promise rests on, on every connection EF opens:
/// <list type="bullet">
/// <item><c>journal_mode=WAL</c>: readers do not block the writer (API lists run while tasks commit), and a commit
/// is one append to the write-ahead log. It is stored in the file; setting it again is a no-op.</item>
/// <item><c>synchronous=FULL</c>: each commit fsyncs the WAL before returning. A committed change survives a
/// <c>kill -9</c> of the Center (the WAL is already written to the OS) and also a kernel crash or power loss
/// (it is on disk). The WAL default, NORMAL, would survive the kill but could lose the last commits on power loss,
/// and "no data lost on a Center kill" must not depend on which of the two it was. The cost is one fsync per
/// commit, which batching work into fewer transactions amortizes.</item>
/// <item><c>foreign_keys=ON</c>: SQLite leaves them off per connection unless asked.</item>
/// </list>
/// The pragma <c>synchronous</c> is per connection, hence an interceptor rather than a one-time setup step.
/// </summary>
public sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    internal const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";

    public static SqliteDurabilityInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
