using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Hyperion.Testing;

/// <summary>
/// A real host agent (<c>hyperion host serve</c>) in its own process, on a free loopback port, with a throw-away data
/// directory. Dispose kills the agent and every QEMU it started (by the pidfiles in its run directory), then removes the data.
/// </summary>
public sealed class HostAgentProcess : IAsyncDisposable
{
    public const string Password = "test-root-password";
    private readonly string _accel;
    private readonly string[] _extraArgs;
    private HyperionProcess? _process;

    private readonly TestHostNamespace? _namespace;

    private HostAgentProcess(TestDirectory data, int port, string accel, string[] extraArgs, TestHostNamespace? ns = null)
    {
        Data = data;
        Port = port;
        _accel = accel;
        _extraArgs = extraArgs;
        _namespace = ns;
    }

    public TestDirectory Data { get; }

    public int Port { get; }

    /// <summary>Where the agent listens: loopback, or its namespace's address (a host behind a link that can be cut).</summary>
    public string ListenAddress => _namespace?.Address ?? "127.0.0.1";

    public Uri BaseAddress => new($"https://{ListenAddress}:{Port}");

    public string Fingerprint { get; private set; } = string.Empty;

    public HostApi Api { get; private set; } = null!;

    public int Pid => _process?.Pid ?? 0;

    public string Output => _process?.Output ?? string.Empty;

    /// <summary>Root's password for the next start (a host whose root password was changed: delete credentials.json too).</summary>
    public string RootPassword { get; set; } = Password;

    public static Task<HostAgentProcess> StartAsync(string accel = "tcg", params string[] extraArgs) => StartAsync(null, accel, extraArgs);

    /// <summary>An agent inside <paramref name="ns"/> (null: the machine's own namespace, on loopback).</summary>
    public static async Task<HostAgentProcess> StartAsync(TestHostNamespace? ns, string accel = "tcg", params string[] extraArgs)
    {
        var agent = new HostAgentProcess(new TestDirectory("hya"), FreePort.Next(), accel, extraArgs, ns);
        try
        {
            await agent.StartProcessAsync();
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>SIGKILL the agent alone: its VMs are detached and must keep running.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>SIGTERM the agent (an orderly stop, as systemd or Ctrl-C would) and wait for it to exit.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout) => _process!.TerminateAsync(timeout);

    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Api?.Dispose();
        KillQemus(Data.Path);
        KillHaHeartbeat(Data.Path);
        Data.Dispose();
    }

    /// <summary>Kills every QEMU whose pidfile lies under <paramref name="dataDirectory"/>/run (only QEMU processes).</summary>
    public static void KillQemus(string dataDirectory)
    {
        var run = Path.Combine(dataDirectory, "run");
        if (!Directory.Exists(run))
        {
            return;
        }

        foreach (var pidfile in Directory.EnumerateFiles(run, "qemu.pid", SearchOption.AllDirectories))
        {
            KillByPidFile(pidfile, "qemu-system", dataDirectory);
        }
    }

    /// <summary>
    /// Kills the HA datastore heartbeat process of the agent with <paramref name="dataDirectory"/> (detached like the
    /// QEMUs, it outlives the agent while HA is on), found by its pid file and argv.
    /// </summary>
    public static void KillHaHeartbeat(string dataDirectory) =>
        KillByPidFile(Path.Combine(dataDirectory, "run", "ha-heartbeat.pid"), "ha-heartbeat", dataDirectory);

    /// <summary>Kills the process a pid file names while its argv still names <paramref name="program"/> and the agent's directory (pids are reused).</summary>
    private static void KillByPidFile(string pidfile, string program, string dataDirectory)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidfile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                return;
            }

            using var process = Process.GetProcessById(pid);
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            if (cmdline.Contains(program, StringComparison.Ordinal) && cmdline.Contains(dataDirectory, StringComparison.Ordinal))
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidOperationException)
        {
            // Already gone (or its pid file never written).
        }
    }

    private async Task StartProcessAsync()
    {
        _process?.Dispose();
        _process = await HyperionProcess.StartAsync(
            ["host", "serve", "--data", Data.Path, "--listen", $"{ListenAddress}:{Port}", "--accel", _accel, "--root-password", RootPassword, "--tiny-guest", TinyGuest.Directory, .. _extraArgs],
            "hyperion host agent listening on",
            TimeSpan.FromSeconds(90),
            _namespace?.Name);
        Fingerprint = File.ReadAllText(Path.Combine(Data.Path, "certificate.sha256")).Trim();
        Api?.Dispose();
        Api = new HostApi(CreateHttpClient(BaseAddress, Fingerprint, "root", RootPassword));
    }

    /// <summary>An HttpClient that trusts exactly the certificate with <paramref name="fingerprint"/> and sends Basic credentials when given.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress, string fingerprint, string? user, string? password)
    {
        var expected = fingerprint.Replace(":", string.Empty, StringComparison.Ordinal);
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
                cert is not null && string.Equals(Convert.ToHexString(cert.GetCertHash(HashAlgorithmName.SHA256)), expected, StringComparison.OrdinalIgnoreCase),
        };
#pragma warning restore CA2000
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return client;
    }
}
