using System.Globalization;
using System.Text.RegularExpressions;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// Reads the tiny guest's serial console (tools/tiny-guest/README.md, "Console contract"): ticks every 100 ms, the
/// dirtying thread's <c>dirty: pass K ok</c> / <c>dirty: pass K mismatches M</c>, and what a broken kernel prints.
/// </summary>
internal static partial class GuestLog
{
    /// <summary>Lines a kernel prints when it dies or is about to (the guest boots <c>quiet</c>: only these get through).</summary>
    private static readonly string[] KernelFailures =
        ["Kernel panic", "BUG:", "Oops:", "general protection fault", "kernel tried to execute", "invalid opcode:", "double fault"];

    /// <summary>The log's lines without their carriage returns.</summary>
    private static IEnumerable<string> Lines(string log) => log.Split('\n').Select(l => l.TrimEnd('\r'));

    public static int LastTick(string log) => TinyGuestLog.LastTick(log);

    public static int LastPass(string log) => PassLine().Matches(log).Select(m => Int(m.Groups[1])).DefaultIfEmpty(0).Max();

    /// <summary>The first line showing that the kernel died, or null.</summary>
    public static string? KernelFailure(string log) =>
        Lines(log).FirstOrDefault(l => KernelFailures.Any(f => l.Contains(f, StringComparison.Ordinal)));

    /// <summary>The source is steady: booted and ticking, and a dirtying guest has verified whole passes.</summary>
    public static bool IsReady(string log, GuestWorkload workload)
    {
        if (KernelFailure(log) is { } failure)
        {
            throw new InvalidOperationException($"the guest died before the migration: {failure}");
        }

        return workload.Dirtying
            ? LastPass(log) >= GuestWorkload.PassesBeforeMigration
            : LastTick(log) >= 5;
    }

    /// <summary>Enough of the destination's output since the switch-over to judge it, or it already failed.</summary>
    public static bool IsVerified(string sinceCompletion, GuestWorkload workload) =>
        KernelFailure(sinceCompletion) is not null
        || sinceCompletion.Contains(TinyGuestLog.BootMarker, StringComparison.Ordinal)
        || (workload.Dirtying
            ? PassLine().Count(sinceCompletion) >= GuestWorkload.PassesAfterMigration
            : TinyGuestLog.Ticks(sinceCompletion).Count >= GuestWorkload.TicksAfterMigration);

    /// <summary>
    /// Judges the destination's output from the switch-over on (<paramref name="after"/>: nothing the source printed
    /// before its last tick <paramref name="lastTickBefore"/>).
    /// </summary>
    public static GuestVerdict Analyze(string after, int lastTickBefore, GuestWorkload workload, bool verified)
    {
        var stale = PassLine().Matches(after).Sum(m => m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
        var passes = PassLine().Count(after);
        var ticks = TinyGuestLog.Ticks(after);
        string? failure = null;
        if (KernelFailure(after) is { } died)
        {
            failure = "kernel: " + (died.Length > 90 ? died[..90] + "…" : died);
        }
        else if (after.Contains(TinyGuestLog.BootMarker, StringComparison.Ordinal))
        {
            failure = "rebooted";
        }
        else if (ticks.Any(t => t <= lastTickBefore) || ticks.Zip(ticks.Skip(1)).Any(p => p.Second <= p.First))
        {
            failure = $"ticks went backwards (last before: {lastTickBefore}; after: {string.Join(' ', ticks.Take(5))}…)";
        }
        else if (!verified)
        {
            failure = workload.Dirtying
                ? $"stalled: {passes} pass(es), {ticks.Count} ticks after the switch-over"
                : $"stalled: {ticks.Count} ticks after the switch-over";
        }

        return new GuestVerdict(stale, passes, ticks.Count, failure);
    }

    /// <summary>
    /// The rate the guest really dirtied at before the migration, in MiB/s: whole passes between the first verified pass
    /// and the last, timed by the ticks printed in between (±100 ms per end). Null without two verified passes.
    /// </summary>
    public static double? DirtyRate(string before, int workingSetMiB)
    {
        var tick = 0;
        var passes = new List<(int Pass, int Tick)>();
        foreach (var line in Lines(before))
        {
            if (TickLine().Match(line) is { Success: true } t)
            {
                tick = Int(t.Groups[1]);
            }
            else if (PassLine().Match(line) is { Success: true } p && Int(p.Groups[1]) >= 2)
            {
                passes.Add((Int(p.Groups[1]), tick));
            }
        }

        if (passes.Count < 2 || passes[^1].Tick <= passes[0].Tick)
        {
            return null;
        }

        return (double)workingSetMiB * (passes[^1].Pass - passes[0].Pass) / ((passes[^1].Tick - passes[0].Tick) / 10.0);
    }

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^dirty: pass (\d+) (?:ok|mismatches (\d+))\r?$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^tick (\d+)$")]
    private static partial Regex TickLine();
}
