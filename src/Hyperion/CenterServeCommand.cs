using System.CommandLine;
using Hyperion.Center;
using Hyperion.Center.Persistence;
using Hyperion.Cli;

namespace Hyperion;

/// <summary><c>hyperion center serve</c>: runs the Center in the foreground.</summary>
internal static class CenterServeCommand
{
    public const string CenterCommandName = "center";

    /// <summary>The top-level <c>center</c> command with its <c>serve</c> verb.</summary>
    public static Command CreateCenterCommand(CliConsole console)
    {
        var center = new Command(CenterCommandName, "The Center (vCenter role): one inventory, API and authorization over many hosts");
        center.Subcommands.Add(Create(console));
        return center;
    }

    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var data = new Option<string>("--data") { Description = "Center state directory (certificate; center.db with the sqlite database)", Required = true };
        var listen = new Option<string>("--listen") { Description = "HTTPS address:port to serve the API on", DefaultValueFactory = _ => "127.0.0.1:9443" };
        var database = new Option<string>("--database") { Description = "sqlite (a file in --data) or postgres (needs --connection-string)", DefaultValueFactory = _ => CenterDatabaseOptions.Sqlite };
        database.AcceptOnlyFromAmong(CenterDatabaseOptions.Sqlite, CenterDatabaseOptions.Postgres);
        var connectionString = new Option<string?>("--connection-string") { Description = "Database connection string (required for postgres; default for sqlite: DATA/center.db)" };
        var adminPassword = new Option<string?>("--admin-password") { Description = "Password of the built-in 'administrator' at first start (default: $HYPERION_ADMIN_PASSWORD, else generated and printed once)" };

        var monitorInterval = new Option<double>("--host-monitor-interval") { Description = "Seconds between heartbeats to every host", DefaultValueFactory = _ => 5 };
        var hostGrace = new Option<double>("--host-grace") { Description = "Seconds without a heartbeat before a host is not responding", DefaultValueFactory = _ => 15 };
        var metricsInterval = new Option<double>("--metrics-interval") { Description = "Seconds between fetches of performance samples from every host", DefaultValueFactory = _ => 20 };
        var sessionIdle = new Option<double>("--session-idle-timeout") { Description = "Minutes a session (API token or web client login) lives without use", DefaultValueFactory = _ => 30 };

        var migrationsPerHost = new Option<int>("--migrations-per-host") { Description = "Simultaneous migrations a host takes part in; more wait, queued", DefaultValueFactory = _ => 4 };

        var command = new Command("serve", "Run the Center: inventory database and REST API over HTTPS")
        {
            data, listen, database, connectionString, adminPassword, monitorInterval, hostGrace, metricsInterval, sessionIdle, migrationsPerHost,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(migrationsPerHost) < 1)
            {
                await console.Error.WriteLineAsync("error: --migrations-per-host must be at least 1");
                return CliExitCodes.Usage;
            }

            var options = new CenterOptions
            {
                DataDirectory = parse.GetValue(data)!,
                Listen = parse.GetValue(listen)!,
                DatabaseProvider = parse.GetValue(database)!,
                ConnectionString = parse.GetValue(connectionString),
                InitialAdminPassword = parse.GetValue(adminPassword) ?? console.GetEnvironmentVariable("HYPERION_ADMIN_PASSWORD"),
                HostMonitorInterval = TimeSpan.FromSeconds(parse.GetValue(monitorInterval)),
                HostGrace = TimeSpan.FromSeconds(parse.GetValue(hostGrace)),
                MetricsInterval = TimeSpan.FromSeconds(parse.GetValue(metricsInterval)),
                SessionIdleTimeout = TimeSpan.FromMinutes(parse.GetValue(sessionIdle)),
                MigrationsPerHost = parse.GetValue(migrationsPerHost),
            };
            return await CenterServer.RunAsync(options, console.Out, ct, new Hyperion.Web.WebUi());
        });
        return command;
    }
}
