using System.Diagnostics;

namespace Hyperion.Testing;

/// <summary>
/// A one-member etcd (Debian's etcd-server, installed by tools/install-deps.sh) on loopback with its data in a temp
/// directory; disposing kills it and removes the directory.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/etcd";

    private readonly Process _process;
    private readonly TestDirectory _data;

    private EtcdProcess(Process process, TestDirectory data, string url)
    {
        _process = process;
        _data = data;
        Url = url;
    }

    /// <summary>The client URL (<c>http://127.0.0.1:PORT</c>), as hosts take it in <c>--etcd</c>.</summary>
    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the member and waits until <c>/health</c> says so (20 s).</summary>
    public static async Task<EtcdProcess> StartAsync()
    {
        var data = new TestDirectory("hyetcd");
        var peer = $"http://127.0.0.1:{FreePort.Next()}";
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var psi = new ProcessStartInfo(ExecutablePath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--name", "t", "--data-dir", Path.Combine(data.Path, "member"), "--listen-client-urls", url, "--advertise-client-urls", url,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"t={peer}",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{ExecutablePath} did not start");
        }
        catch
        {
            data.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new EtcdProcess(process, data, url);
        try
        {
            await etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }

        return etcd;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if ((await http.GetStringAsync($"{Url}/health")).Contains("true", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"etcd at {Url} did not become healthy within {timeout.TotalSeconds} s{(_process.HasExited ? $" (exited {_process.ExitCode})" : "")}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed; the kernel reaps it.
            }
        }

        _process.Dispose();
        _data.Dispose();
    }
}
