using System.Globalization;
using System.Runtime.InteropServices;

namespace Hyperion.Lab.Processes;

/// <summary>Finds, watches and stops the lab's processes (Center, agents, their QEMUs).</summary>
public sealed partial class LabProcessControl(TimeProvider time)
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The target for <paramref name="pid"/> as it is now (start time 0 when it is already gone).</summary>
    public static ProcessTarget Describe(int pid, string description) => new(pid, ProcStat.Read(pid)?.StartTime ?? 0, description);

    /// <summary>
    /// Waits until <paramref name="logFile"/> shows <paramref name="readyPrefix"/> at the start of a line and the
    /// certificate fingerprint (printed just after it: the two writes are separate), and returns the log.
    /// </summary>
    /// <exception cref="LabException">The process exited first, or the timeout passed; the message ends with the log's last lines.</exception>
    public async Task<string> WaitForReadyAsync(ProcessTarget process, string logFile, string readyPrefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : string.Empty;
            if (ServerLog.IsReady(log, readyPrefix))
            {
                return log;
            }

            if (!process.IsAlive)
            {
                // It may have printed the line and the error at once: read once more before judging.
                log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : string.Empty;
                throw new LabException($"{process.Description} exited before it was ready; the end of {logFile}:\n{ServerLog.Tail(log, 15)}");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new LabException($"{process.Description} was not ready after {timeout.TotalSeconds:F0} s; the end of {logFile}:\n{ServerLog.Tail(log, 15)}");
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// SIGTERM to every live target, SIGKILL to those still alive after <paramref name="grace"/>; returns the ones that
    /// are still alive after that (normally none).
    /// </summary>
    public async Task<IReadOnlyList<ProcessTarget>> StopAsync(IReadOnlyList<ProcessTarget> targets, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var alive = targets.Where(t => t.IsAlive).ToList();
        foreach (var target in alive)
        {
            _ = NativeKill(target.Pid, SigTerm);
        }

        alive = await WaitGoneAsync(alive, grace, cancellationToken);
        foreach (var target in alive)
        {
            _ = NativeKill(target.Pid, SigKill);
        }

        return await WaitGoneAsync(alive, TimeSpan.FromSeconds(5), cancellationToken);
    }

    /// <summary>
    /// Processes that belong to the lab in <paramref name="directory"/> by their command line: a QEMU, <c>dotnet</c> or
    /// <c>hyperion</c> with an argument that is the directory or a path inside it. The caller and its ancestors are
    /// never included (a <c>lab down --dir DIR</c> names the directory too).
    /// </summary>
    public static IReadOnlyList<ProcessTarget> FindByDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var exclude = Ancestry(System.Environment.ProcessId);
        var found = new List<ProcessTarget>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || exclude.Contains(pid))
            {
                continue;
            }

            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(entry, "cmdline")).TrimEnd('\0').Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (BelongsToLab(argv, directory) && ProcStat.Read(pid) is { IsZombie: false } stat)
            {
                found.Add(new ProcessTarget(pid, stat.StartTime, $"{Path.GetFileName(argv[0])} (pid {pid.ToString(CultureInfo.InvariantCulture)})"));
            }
        }

        return found;
    }

    /// <summary>Pure rule behind <see cref="FindByDirectory"/>.</summary>
    public static bool BelongsToLab(IReadOnlyList<string> argv, string directory)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(directory);
        if (argv.Count == 0 || argv[0].Length == 0)
        {
            return false;
        }

        var program = Path.GetFileName(argv[0]);
        if (!(program.StartsWith("qemu-system", StringComparison.Ordinal) || program is "dotnet" or "hyperion"))
        {
            return false;
        }

        var inside = directory.TrimEnd('/') + "/";
        return argv.Skip(1).Any(a => a == directory || a == inside[..^1] || a.Contains(inside, StringComparison.Ordinal));
    }

    private static HashSet<int> Ancestry(int pid)
    {
        var chain = new HashSet<int>();
        while (pid > 1 && chain.Add(pid))
        {
            pid = ProcStat.Read(pid)?.ParentPid ?? 0;
        }

        return chain;
    }

    private async Task<List<ProcessTarget>> WaitGoneAsync(List<ProcessTarget> targets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        var alive = targets.Where(t => t.IsAlive).ToList();
        while (alive.Count > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(Poll, time, cancellationToken);
            alive = alive.Where(t => t.IsAlive).ToList();
        }

        return alive;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}
