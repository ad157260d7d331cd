using System.Diagnostics;
using System.Globalization;
using Hyperion.Testing;
using Npgsql;

namespace Hyperion.Bench.Center;

/// <summary>
/// A throwaway PostgreSQL server for one benchmark run, started as the Center tests' fixture starts it (Debian's
/// server binaries, run as <c>postgres</c> through <c>runuser</c>, on a free loopback port) but with the server's
/// default durability (<c>fsync</c> on), as a Center would run. Needs root. <c>HYPERION_PG_BIN</c> overrides the binaries.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string _bin = Environment.GetEnvironmentVariable("HYPERION_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"hybc-pg-{Guid.NewGuid().ToString("N")[..10]}");
    private Process? _runuser;
    private int? _postmasterPid;

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    public static async Task<BenchPostgres> StartAsync()
    {
        var server = new BenchPostgres();
        try
        {
            Directory.CreateDirectory(server._directory);
            await RunAsync("chown", "postgres:postgres", server._directory);
            await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(server._bin, "initdb"), "-D", Path.Combine(server._directory, "data"),
                "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C");
            server.Port = FreePort.Next();
            var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                "-u", "postgres", "--", Path.Combine(server._bin, "postgres"), "-D", Path.Combine(server._directory, "data"), "-k", server._directory,
                "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
            })
            {
                start.ArgumentList.Add(arg);
            }

            server._runuser = Process.Start(start) ?? throw new InvalidOperationException("runuser did not start");
            server._runuser.OutputDataReceived += (_, _) => { };
            server._runuser.ErrorDataReceived += (_, _) => { };
            server._runuser.BeginOutputReadLine();
            server._runuser.BeginErrorReadLine();
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
                        await connection.OpenAsync();
                        return true;
                    }
                    catch (NpgsqlException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                "postgres to accept connections");
            server._postmasterPid = int.Parse(File.ReadLines(Path.Combine(server._directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task<long> DatabaseSizeAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(name));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_database_size(current_database())";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_runuser is { HasExited: false })
        {
            if (_postmasterPid is { } pid)
            {
                await RunAsync("kill", "-INT", pid.ToString(CultureInfo.InvariantCulture));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _runuser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _runuser.Kill(entireProcessTree: true);
            }
        }

        _runuser?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
