using Hyperion.Center.Persistence;

namespace Hyperion.Center;

/// <summary>Settings of the Center (<c>hyperion center serve</c>).</summary>
public sealed record CenterOptions
{
    /// <summary>Where the Center keeps its state: certificate, and <c>center.db</c> with the SQLite provider. Required.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>HTTPS listen address. Default <c>127.0.0.1:9443</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:9443";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string DatabaseProvider { get; init; } = CenterDatabaseOptions.Sqlite;

    /// <summary>Required for <c>postgres</c>; for <c>sqlite</c> the default is <c>DataDirectory/center.db</c>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Password of the built-in <c>administrator</c> set at first start; generated and printed once when null.</summary>
    public string? InitialAdminPassword { get; init; }

    /// <summary>A session unused this long expires; every authenticated call slides it. Default 30 minutes.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the Center calls every host (heartbeat and VM convergence). Default 5 s.</summary>
    public TimeSpan HostMonitorInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A host without a heartbeat for longer than this becomes not responding. Default 15 s.</summary>
    public TimeSpan HostGrace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the Center fetches performance samples from every connected host. Default 20 s.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Simultaneous migrations a host takes part in (as source or destination); more wait, queued. Default 4.</summary>
    public int MigrationsPerHost { get; init; } = 4;

    public CenterDatabaseOptions ToDatabaseOptions() => new()
    {
        Provider = DatabaseProvider,
        ConnectionString = ConnectionString,
        DataDirectory = DataDirectory,
    };
}
