namespace Hyperion.Center.Persistence;

/// <summary>Where the Center keeps its database.</summary>
public sealed class CenterDatabaseOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The file name of the SQLite database inside <see cref="DataDirectory"/>.</summary>
    public const string SqliteFileName = "center.db";

    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// Required for <c>postgres</c> (an Npgsql connection string). For <c>sqlite</c>, optional: the default is
    /// <c>Data Source=&lt;DataDirectory&gt;/center.db</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Center's data directory; holds <c>center.db</c> with the SQLite provider. No default.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        switch (Provider)
        {
            case Sqlite when string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory):
                throw new InvalidOperationException("database: the sqlite provider needs a data directory or a connection string");
            case Sqlite:
                break;
            case Postgres when string.IsNullOrWhiteSpace(ConnectionString):
                throw new InvalidOperationException("database: the postgres provider needs a connection string");
            case Postgres:
                break;
            default:
                throw new InvalidOperationException($"database: unknown provider '{Provider}' (expected '{Sqlite}' or '{Postgres}')");
        }
    }
}
