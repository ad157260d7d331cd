using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Hyperion.Testing;

/// <summary>
/// One run of the real <c>hyperion</c> executable as a server (<c>host serve</c>, <c>center serve</c>): started with
/// <c>dotnet hyperion.dll</c>, its output captured, ready once it prints its "listening" line.
/// </summary>
public sealed class HyperionProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private HyperionProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Path of the hyperion.dll next to the running test assembly.</summary>
    public static string HyperionDll => Path.Combine(AppContext.BaseDirectory, "hyperion.dll");

    public int Pid => _process.Id;

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

    /// <summary>
    /// Starts <c>hyperion <paramref name="arguments"/></c> and waits for a line starting with <paramref name="readyPrefix"/>;
    /// inside network namespace <paramref name="netns"/> when given (<c>ip netns exec</c>, which execs: the pid stays the server's).
    /// </summary>
    public static async Task<HyperionProcess> StartAsync(IEnumerable<string> arguments, string readyPrefix, TimeSpan timeout, string? netns = null)
    {
        var psi = new ProcessStartInfo(netns is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (netns is not null)
        {
            foreach (var arg in new[] { "netns", "exec", netns, "dotnet" })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        psi.ArgumentList.Add(HyperionDll);
        foreach (var arg in arguments)
        {
            psi.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new HyperionProcess(process);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (server._output)
            {
                server._output.AppendLine(line);
            }

            if (line.StartsWith(readyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"exited with {process.ExitCode} before printing '{readyPrefix}'"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(timeout);
        }
        catch (Exception ex)
        {
            await server.KillAsync();
            server.Dispose();
            throw new InvalidOperationException($"hyperion {string.Join(' ', arguments)} did not start: {ex.Message}\n{server.Output}", ex);
        }

        return server;
    }

    /// <summary>SIGKILL: no orderly shutdown, as a crash or <c>kill -9</c>.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM (an orderly stop, as systemd or Ctrl-C would) and wait for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose() => _process.Dispose();
}
