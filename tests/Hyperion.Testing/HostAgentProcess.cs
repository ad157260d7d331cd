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
    private readonly StringBuilder _output = new();
    private readonly string _accel;
    private readonly string[] _extraArgs;
    private Process? _process;

    private HostAgentProcess(TestDirectory data, int port, string accel, string[] extraArgs)
    {
        Data = data;
        Port = port;
        _accel = accel;
        _extraArgs = extraArgs;
    }

    public TestDirectory Data { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");

    public string Fingerprint { get; private set; } = string.Empty;

    public HostApi Api { get; private set; } = null!;

    public int Pid => _process?.Id ?? 0;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Path of the hyperion.dll next to the running test assembly.</summary>
    public static string HyperionDll => Path.Combine(AppContext.BaseDirectory, "hyperion.dll");

    public static async Task<HostAgentProcess> StartAsync(string accel = "tcg", params string[] extraArgs)
    {
        var agent = new HostAgentProcess(new TestDirectory("hya"), FreePort.Next(), accel, extraArgs);
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
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM the agent (an orderly stop, as systemd or Ctrl-C would) and wait for it to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Api?.Dispose();
        KillQemus(Data.Path);
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
            if (!int.TryParse(File.ReadAllText(pidfile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                using var qemu = Process.GetProcessById(pid);
                var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
                if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(dataDirectory, StringComparison.Ordinal))
                {
                    qemu.Kill();
                    qemu.WaitForExit(5000);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private async Task StartProcessAsync()
    {
        lock (_output)
        {
            _output.Clear();
        }

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { HyperionDll, "host", "serve", "--data", Data.Path, "--listen", $"127.0.0.1:{Port}", "--accel", _accel, "--root-password", Password, "--tiny-guest", TinyGuest.Directory })
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var arg in _extraArgs)
        {
            psi.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, listening);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, listening);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("agent exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"host agent did not start: {ex.Message}\n{Output}", ex);
        }

        Fingerprint = File.ReadAllText(Path.Combine(Data.Path, "certificate.sha256")).Trim();
        Api?.Dispose();
        Api = new HostApi(CreateHttpClient(BaseAddress, Fingerprint, "root", Password));
    }

    private void OnLine(string? line, TaskCompletionSource listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("hyperion host agent listening on", StringComparison.Ordinal))
        {
            listening.TrySetResult();
        }
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
