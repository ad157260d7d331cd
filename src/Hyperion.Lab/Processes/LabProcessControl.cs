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
    /// <param name="logOffset">Where this start's output begins in the (appended) log: a restart must not take the previous start's lines for its own.</param>
    /// <exception cref="LabException">The process exited first, or the timeout passed; the message ends with the log's last lines.</exception>
    public async Task<string> WaitForReadyAsync(ProcessTarget process, string logFile, string readyPrefix, TimeSpan timeout, CancellationToken cancellationToken, long logOffset = 0)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var log = await ReadLogAsync(logFile, logOffset, cancellationToken);
            if (ServerLog.IsReady(log, readyPrefix))
            {
                return log;
            }

            if (!process.IsAlive)
            {
                // It may have printed the line and the error at once: read once more before judging.
                log = await ReadLogAsync(logFile, logOffset, cancellationToken);
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
    /// Waits until the etcd member at <paramref name="clientUrl"/> reports healthy (it sees a leader: the cluster has a
    /// quorum); returns how long that took.
    /// </summary>
    /// <exception cref="LabException">The member exited first, or the timeout passed; the message ends with the log's last lines.</exception>
    public async Task<TimeSpan> WaitForEtcdHealthyAsync(ProcessTarget process, string clientUrl, string logFile, TimeSpan timeout, CancellationToken cancellationToken, long logOffset = 0)
    {
        var start = time.GetUtcNow();
        while (true)
        {
            if (await Etcd.EtcdHealthClient.IsHealthyAsync(clientUrl, cancellationToken))
            {
                return time.GetUtcNow() - start;
            }

            if (!process.IsAlive)
            {
                var log = await ReadLogAsync(logFile, logOffset, cancellationToken);
                throw new LabException($"{process.Description} exited before it was healthy; the end of {logFile}:\n{ServerLog.Tail(log, 15)}");
            }

            if (time.GetUtcNow() - start > timeout)
            {
                var log = await ReadLogAsync(logFile, logOffset, cancellationToken);
                throw new LabException($"{process.Description} was not healthy at {clientUrl}/health after {timeout.TotalSeconds:F0} s; the end of {logFile}:\n{ServerLog.Tail(log, 15)}");
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>The size of <paramref name="logFile"/> now (0 when absent): the offset a restart's output will start at.</summary>
    public static long LogLength(string logFile) => File.Exists(logFile) ? new FileInfo(logFile).Length : 0;

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
    /// SIGKILL to every live target at once (a power cut: nobody gets to clean up), then waits up to 5 s for them to
    /// be gone; returns those still alive (normally none).
    /// </summary>
    public async Task<IReadOnlyList<ProcessTarget>> KillAsync(IReadOnlyList<ProcessTarget> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var alive = targets.Where(t => t.IsAlive).ToList();
        foreach (var target in alive)
        {
            _ = NativeKill(target.Pid, SigKill);
        }

        return await WaitGoneAsync(alive, TimeSpan.FromSeconds(5), cancellationToken);
    }

    /// <summary>
    /// The processes of <paramref name="pids"/> as they are now (start time read, so a later kill never hits a
    /// recycled PID), without the caller and its ancestors, and without those already gone.
    /// </summary>
    public static IReadOnlyList<ProcessTarget> DescribeAll(IEnumerable<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        var exclude = Ancestry(System.Environment.ProcessId);
        var found = new List<ProcessTarget>();
        foreach (var pid in pids.Distinct().Where(p => !exclude.Contains(p)))
        {
            if (ProcStat.Read(pid) is { IsZombie: false } stat)
            {
                found.Add(new ProcessTarget(pid, stat.StartTime, $"{CommandName(pid)} (pid {pid.ToString(CultureInfo.InvariantCulture)})"));
            }
        }

        return found;
    }

    /// <summary>
    /// Processes that belong to the lab in <paramref name="directory"/> by their command line: a QEMU, <c>dotnet</c>,
    /// <c>hyperion</c> or <c>etcd</c> with an argument that is the directory or a path inside it. The caller and its ancestors are
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
        if (!(program.StartsWith("qemu-system", StringComparison.Ordinal) || program is "dotnet" or "hyperion" or "etcd"))
        {
            return false;
        }

        var inside = directory.TrimEnd('/') + "/";
        return argv.Skip(1).Any(a => a == directory || a == inside[..^1] || a.Contains(inside, StringComparison.Ordinal));
    }

    private static async Task<string> ReadLogAsync(string logFile, long offset, CancellationToken cancellationToken)
    {
        if (!File.Exists(logFile))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
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
