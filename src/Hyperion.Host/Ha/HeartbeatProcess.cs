using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Host.Ha;

/// <summary>
/// Starts and finds the host's heartbeat process (<c>hyperion host ha-heartbeat --data DIR</c>), detached in its own
/// session (<c>setsid -f</c>) so it outlives the agent like the QEMUs do; found again through its pid file and argv.
/// </summary>
public sealed class HeartbeatProcess(string dataDirectory, IProcessTable processes)
{
    public const string Verb = "ha-heartbeat";
    private long _spawnedAt = long.MinValue / 2;

    public static string PidFileIn(string dataDirectory) => Path.Combine(dataDirectory, "run", "ha-heartbeat.pid");

    public int? RunningPid()
    {
        try
        {
            if (int.TryParse(File.ReadAllText(PidFileIn(dataDirectory)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && processes.IsAlive(pid)
                && processes.ReadCommandLine(pid) is { } argv && argv.Contains(Verb) && argv.Contains(dataDirectory))
            {
                return pid;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Starts the process unless it runs; it writes its own pid file when it starts.</summary>
    public void EnsureRunning()
    {
        // A process just spawned writes its pid file a moment later; one start per interval is enough (a second one
        // would find the lock taken and exit anyway).
        if (RunningPid() is not null || Environment.TickCount64 - _spawnedAt < 10_000)
        {
            return;
        }

        _spawnedAt = Environment.TickCount64;

        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-f");
        foreach (var arg in SelfCommand())
        {
            psi.ArgumentList.Add(arg);
        }

        psi.ArgumentList.Add("host");
        psi.ArgumentList.Add(Verb);
        psi.ArgumentList.Add("--data");
        psi.ArgumentList.Add(dataDirectory);
        using var setsid = Process.Start(psi) ?? throw new InvalidOperationException("setsid did not start");
        setsid.StandardInput.Close();
        setsid.WaitForExit(5000);
    }

    /// <summary>Stops it (HA disabled): it would exit by itself once the plan is gone; this makes it immediate.</summary>
    public void Stop()
    {
        if (RunningPid() is { } pid)
        {
            processes.Kill(pid);
        }

        File.Delete(PidFileIn(dataDirectory));
    }

    /// <summary>How to run this same executable: the apphost, or <c>dotnet hyperion.dll</c>.</summary>
    private static IEnumerable<string> SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the agent's executable path is unknown");
        yield return process;
        if (Path.GetFileNameWithoutExtension(process) == "dotnet" && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } dll)
        {
            yield return dll;
        }
    }
}
