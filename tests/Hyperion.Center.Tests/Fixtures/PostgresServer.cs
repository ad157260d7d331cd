using System.Diagnostics;
using System.Text;
using Hyperion.Testing;
using Npgsql;

namespace Hyperion.Center.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL server from Debian's package (<c>tools/install-deps.sh</c> installs it), on a free loopback
/// port, with its data directory and unix socket in a temp dir owned by <c>postgres</c>. initdb and the server run
/// as <c>postgres</c> through <c>runuser</c> (PostgreSQL refuses to run as root). Each test class gets its own
/// database. Disposal stops the postmaster by its PID (from <c>postmaster.pid</c>) and deletes the directory, also
/// when tests failed. Override the binaries with <c>HYPERION_PG_BIN</c>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _bin = Environment.GetEnvironmentVariable("HYPERION_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
    private readonly StringBuilder _log = new();
    private readonly Dictionary<string, Task<string>> _classDatabases = new(StringComparer.Ordinal);
    private Process? _runuser;
    private int? _postmasterPid;
    private int _nextDatabase;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"hy-pg-{Guid.NewGuid().ToString("N")[..10]}");

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await RunAsync("chown", "postgres:postgres", Directory);

        // --no-sync and fsync=off: a test server's durability is not under test, and they make CREATE DATABASE fast.
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "initdb"), "-D", Path.Combine(Directory, "data"),
            "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");

        Port = FreePort.Next();
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-u", "postgres", "--", Path.Combine(_bin, "postgres"), "-D", Path.Combine(Directory, "data"), "-k", Directory,
            "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _runuser = Process.Start(start) ?? throw new InvalidOperationException("runuser did not start");
        _runuser.OutputDataReceived += (_, e) => Log(e.Data);
        _runuser.ErrorDataReceived += (_, e) => Log(e.Data);
        _runuser.BeginOutputReadLine();
        _runuser.BeginErrorReadLine();

        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    if (_runuser.HasExited)
                    {
                        throw new InvalidOperationException($"postgres exited with {_runuser.ExitCode}: {LogText()}");
                    }

                    await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                    await connection.OpenAsync();
                    return true;
                },
                StartTimeout,
                $"postgres on 127.0.0.1:{Port} to accept connections");
            _postmasterPid = int.Parse(File.ReadLines(Path.Combine(Directory, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server (no pooling, so dropping databases never waits on idle connections).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = false }.ConnectionString;

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"hyperion_{Interlocked.Increment(ref _nextDatabase)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>The database of one test class, created on first use and shared by its tests.</summary>
    public Task<string> DatabaseForAsync(Type testClass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        lock (_classDatabases)
        {
            var key = testClass.FullName!;
            if (!_classDatabases.TryGetValue(key, out var created) || created.IsFaulted || created.IsCanceled)
            {
                created = CreateDatabaseAsync(cancellationToken);
                _classDatabases[key] = created;
            }

            return created;
        }
    }

    public async Task DisposeAsync()
    {
        if (_runuser is { HasExited: false })
        {
            if (_postmasterPid is { } pid)
            {
                // SIGINT is PostgreSQL's "fast shutdown": abort sessions, then exit; runuser exits after it.
                await RunAsync("kill", "-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _runuser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                if (_postmasterPid is { } stuck && ProcessProbe.IsAlive(stuck))
                {
                    await RunAsync("kill", "-KILL", stuck.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                _runuser.Kill(entireProcessTree: true);
                await _runuser.WaitForExitAsync();
            }
        }

        _runuser?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private string LogText()
    {
        lock (_log)
        {
            return _log.ToString();
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
