using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// Runs every (size, dirty rate) row, sizes in order, one migration at a time (never more than two guests), raw and ours
/// alternating within a run and which goes first alternating between runs, so machine noise hits both alike. Prints a
/// progress line per migration, then the table, the goal checks and the machine-readable last line.
/// </summary>
internal static class MigrationBenchmark
{
    private const double TotalTimeRatioGoal = 1.10;
    private const double DowntimeSlackGoalMs = 20;
    private const double IdleDowntimeGoalMs = 100;

    public static async Task<int> RunAsync(MigrationBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TinyGuest.Directory, "manifest.json"), cancellationToken));
        var cmdline = manifest.RootElement.GetProperty("cmdline").GetString()!;
        var qemu = await QemuVersionAsync(cancellationToken);
        var loadBefore = LoadAverage();
        await output.WriteLineAsync($"live migration, tiny guest ({TinyGuest.Directory}), TCG, q35, 1 vCPU; {qemu}; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores");
        await output.WriteLineAsync($"sizes {string.Join(", ", options.Sizes)} MiB × dirty {string.Join(", ", options.DirtyRates)} MiB/s × {options.Runs} run(s); {(options.Raw ? "raw" : string.Empty)}{(options.Raw && options.Ours ? " + " : string.Empty)}{(options.Ours ? "ours" : string.Empty)}");

        await using var estate = options.Ours ? await HyperionEstate.StartAsync(cancellationToken) : null;
        if (estate is not null)
        {
            await output.WriteLineAsync($"ours: {estate.Pids}; VMs on {estate.Source.Id}, migrated to {estate.Destination.Id}, datastore '{HyperionEstate.Datastore}'");
        }

        var timeLimit = TimeSpan.FromSeconds(options.TimeLimitSeconds);
        var rows = new List<MigrationRow>();
        foreach (var size in options.Sizes)
        {
            foreach (var dirty in options.DirtyRates)
            {
                var row = new MigrationRow(new GuestWorkload(size, dirty, dirty > 0 ? options.WorkingSetFor(size) : 0));
                rows.Add(row);
                for (var run = 0; run < options.Runs; run++)
                {
                    var oursFirst = run % 2 == 1;
                    if (oursFirst && estate is not null)
                    {
                        await OursAsync(row, run);
                    }

                    if (options.Raw)
                    {
                        var raw = await MeasureAsync(() => RawMigration.RunAsync(row.Workload, cmdline, timeLimit, cancellationToken), cancellationToken);
                        row.Raw.Add(raw);
                        await output.WriteLineAsync(Progress(row, run, options.Runs, "raw ", raw));
                    }

                    if (!oursFirst && estate is not null)
                    {
                        await OursAsync(row, run);
                    }
                }
            }
        }

        async Task OursAsync(MigrationRow row, int run)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"mig-{row.Workload.SizeMiB}-{row.Workload.DirtyMiBps}-{run + 1}");
            var ours = await MeasureAsync(() => HyperionMigration.RunAsync(estate!, row.Workload, name, timeLimit, output, cancellationToken), cancellationToken);
            row.Ours.Add(ours);
            await output.WriteLineAsync(Progress(row, run, options.Runs, "ours", ours));
        }

        await PrintAsync(options, rows, output);
        await output.WriteLineAsync($"machine load average (1/5/15 min) at start: {loadBefore}; at end: {LoadAverage()}");
        await output.WriteLineAsync(LastLine(rows));
        return 0;
    }

    /// <summary>A run that throws (a guest that never booted, an API error) is a failed measurement, not the end of the benchmark.</summary>
    private static async Task<MigrationMeasurement> MeasureAsync(Func<Task<MigrationMeasurement>> run, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return MigrationMeasurement.Failed($"{ex.GetType().Name}: {ex.Message}", clock.Elapsed.TotalMilliseconds);
        }
    }

    private static string Progress(MigrationRow row, int run, int runs, string side, MigrationMeasurement m)
    {
        var head = $"[{row.Workload.Label}] run {run + 1}/{runs} {side}:";
        var guest = m.Guest switch
        {
            null => string.Empty,
            { Failure: { } failure } => $"; GUEST FAILED: {failure}",
            { StalePages: > 0 } g => $"; STALE PAGES: {g.StalePages}",
            var g => row.Workload.Dirtying ? $"; guest ok ({g.PassesChecked} passes verified)" : $"; guest ok ({g.Ticks} ticks)",
        };
        var rate = m.GuestDirtyMiBps is { } r ? $"; guest dirtied at {F(r, 0)} MiB/s before" : string.Empty;
        return m.Completed
            ? $"{head} total {F(m.TotalTimeMs, 0)} ms, downtime {F(m.DowntimeMs, 0)} ms{(m.QemuDowntimeMs is { } q ? $" (QEMU {F(q, 0)} + switch-over {(m.SwitchOverMs is { } so ? F(so, 0) : "-")}{(m.SwitchoverArmed is true ? ", destination armed" : m.SwitchoverArmed is false ? ", told after the stream" : string.Empty)})" : string.Empty)}, guest pause {(m.GuestPauseMs is { } p ? F(p, 1) : "n/a")} ms, {m.Passes} passes, {F(m.BytesTransferred / 1048576.0, 0)} MiB (migrate call → end {F(m.ClientMs, 0)} ms){guest}{rate}"
            : $"{head} FAILED: {m.Error}{guest}";
    }

    private static async Task PrintAsync(MigrationBenchOptions options, List<MigrationRow> rows, TextWriter output)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"medians over {options.Runs} run(s) of the completed migrations; raw stream = QEMU's total-time, raw end-to-end = destination QEMU started → stream completed, ours = the migrate task's total (destination prepared → VM running there); ratio = ours / raw end-to-end (stream ratio = ours / raw stream); QEMU downtime = the source's own figure (its stop → end of stream); guest pause = QEMU's STOP stamp on the source → its RESUME stamp on the destination (the same yardstick both sides, the goal's); stale pages and failed runs summed over runs");
        await output.WriteLineAsync("| guest | dirty MiB/s (measured) | raw stream ms | raw end-to-end ms | ours total ms | ratio | stream ratio | QEMU downtime ms raw / ours | guest pause ms raw / ours | passes raw / ours | MiB transferred raw / ours | stale pages raw / ours | failed runs raw / ours |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var w = row.Workload;
            var dirty = w.Dirtying ? $"{w.DirtyMiBps} ({N(row.AchievedDirtyMiBps, 0)}) over {w.WorkingSetMiB} MiB" : "0";
            await output.WriteLineAsync(
                $"| {w.SizeMiB} MiB | {dirty} | {N(row.RawTotalMs, 0)} | {N(row.RawEndToEndMs, 0)} | {N(row.OursTotalMs, 0)} | {N(row.Ratio, 2)} | {N(row.StreamRatio, 2)} | {N(row.RawDowntimeMs, 0)} / {N(row.OursQemuDowntimeMs, 0)} | {N(row.RawPauseMs, 0)} / {N(row.OursPauseMs, 0)} " +
                $"| {N(MigrationRow.Median(row.Raw, m => m.Passes), 0)} / {N(MigrationRow.Median(row.Ours, m => m.Passes), 0)} " +
                $"| {N(MigrationRow.Median(row.Raw, m => m.BytesTransferred / 1048576.0), 0)} / {N(MigrationRow.Median(row.Ours, m => m.BytesTransferred / 1048576.0), 0)} " +
                $"| {Count(row.Raw, MigrationRow.StalePages(row.Raw))} / {Count(row.Ours, MigrationRow.StalePages(row.Ours))} " +
                $"| {Count(row.Raw, MigrationRow.FailedRuns(row.Raw))} / {Count(row.Ours, MigrationRow.FailedRuns(row.Ours))} |");
        }

        await output.WriteLineAsync();
        foreach (var line in Goals(rows))
        {
            await output.WriteLineAsync(line);
        }
    }

    private static IEnumerable<string> Goals(List<MigrationRow> rows)
    {
        var compared = rows.Where(r => r.Ratio is not null).ToList();
        if (compared.Count == 0)
        {
            yield return "goal (total-time ratio ours / raw ≤ 1.10): n/a (no row with both raw and ours completed)";
            yield return $"goal (our downtime within {DowntimeSlackGoalMs:F0} ms of raw): n/a";
        }
        else
        {
            var worst = compared.MaxBy(r => r.Ratio!.Value)!;
            yield return $"goal (total-time ratio ours / raw end-to-end ≤ {TotalTimeRatioGoal:F2} in every row): {Met(compared.All(r => r.Ratio <= TotalTimeRatioGoal))} " +
                $"(median over rows {F(MigrationRow.Median(compared.Select(r => r.Ratio!.Value))!.Value, 3)}, worst {F(worst.Ratio!.Value, 3)} at {worst.Workload.Label}); " +
                $"against QEMU's stream time alone: median {N(MigrationRow.Median(compared.Where(r => r.StreamRatio is not null).Select(r => r.StreamRatio!.Value)), 3)}";
            var slack = rows.Where(r => r.OursPauseMs is not null && r.RawPauseMs is not null).ToList();
            var worstSlack = slack.MaxBy(r => r.OursPauseMs!.Value - r.RawPauseMs!.Value);
            yield return worstSlack is null
                ? $"goal (our downtime within {DowntimeSlackGoalMs:F0} ms of raw, guest pause both sides): n/a"
                : $"goal (our downtime within {DowntimeSlackGoalMs:F0} ms of raw in every row, guest pause both sides): {Met(slack.All(r => r.OursPauseMs - r.RawPauseMs <= DowntimeSlackGoalMs))} " +
                  $"(worst: ours {F(worstSlack.OursPauseMs!.Value, 0)} vs raw {F(worstSlack.RawPauseMs!.Value, 0)} ms at {worstSlack.Workload.Label}); " +
                  $"against raw QEMU's own figure instead: {Met(rows.Where(r => r.OursDowntimeMs is not null && r.RawDowntimeMs is not null).All(r => r.OursDowntimeMs - r.RawDowntimeMs <= DowntimeSlackGoalMs))}";
        }

        var idle = rows.Where(r => !r.Workload.Dirtying).ToList();
        var idleOurs = idle.Where(r => r.OursDowntimeMs is not null).ToList();
        static double? Pause(double? pause, double? downtime) => pause ?? downtime;
        var largest = idle.Count == 0 ? 0 : idle.Max(r => r.Workload.SizeMiB);
        yield return idleOurs.Count == 0
            ? $"goal (idle downtime ≤ {IdleDowntimeGoalMs:F0} ms up to 4 GiB): n/a (ours not measured idle)"
            : $"goal (idle downtime ≤ {IdleDowntimeGoalMs:F0} ms up to 4 GiB): {Met(idleOurs.Count == idle.Count && idleOurs.All(r => Pause(r.OursPauseMs, r.OursDowntimeMs) <= IdleDowntimeGoalMs))}{(largest < 4096 ? $" (only up to {largest} MiB measured)" : string.Empty)} " +
              $"(guest pause, ours {string.Join(", ", idle.Select(r => $"{r.Workload.SizeMiB} MiB: {N(Pause(r.OursPauseMs, r.OursDowntimeMs), 0)} ms"))}; raw {string.Join(", ", idle.Select(r => $"{r.Workload.SizeMiB} MiB: {N(Pause(r.RawPauseMs, r.RawDowntimeMs), 0)} ms"))})";

        var hard = rows.FirstOrDefault(r => r.Workload is { SizeMiB: 1024, DirtyMiBps: 200 });
        yield return hard is null || hard.Ours.Count == 0
            ? "goal (200 MiB/s at 1 GiB converges, guest intact): n/a (row not measured for ours)"
            : $"goal (200 MiB/s at 1 GiB converges, guest intact, every run): {Met(hard.Ours.All(m => m.Succeeded))} " +
              $"(ours {hard.Ours.Count(m => m.Succeeded)}/{hard.Ours.Count} runs; raw {hard.Raw.Count(m => m.Succeeded)}/{hard.Raw.Count})";

        var allRaw = rows.SelectMany(r => r.Raw).ToList();
        var allOurs = rows.SelectMany(r => r.Ours).ToList();
        yield return $"correctness (no stale page, no dead or rebooted guest): ours {(allOurs.Count == 0 ? "n/a" : Met(allOurs.All(m => m.Guest is { Healthy: true } || !m.Completed)))}" +
            $" ({MigrationRow.StalePages(allOurs)} stale pages, {allOurs.Count(m => m.Guest?.Failure is not null)} failed guests in {allOurs.Count} runs); " +
            $"raw baseline {MigrationRow.StalePages(allRaw)} stale pages, {allRaw.Count(m => m.Guest?.Failure is not null)} failed guests in {allRaw.Count} runs";
    }

    /// <summary>total_time_ratio: median of the rows' ratios; downtime_ms / raw_downtime_ms: medians of the rows' median downtimes.</summary>
    /// <remarks>Both downtimes are the guest's pause (QEMU's vCPU stop → run stamps), raw's falling back to QEMU's own figure where its events were not read.</remarks>
    private static string LastLine(List<MigrationRow> rows) =>
        $"total_time_ratio={N(MigrationRow.Median(rows.Where(r => r.Ratio is not null).Select(r => r.Ratio!.Value)), 3)} " +
        $"downtime_ms={N(MigrationRow.Median(rows.Where(r => (r.OursPauseMs ?? r.OursDowntimeMs) is not null).Select(r => (r.OursPauseMs ?? r.OursDowntimeMs)!.Value)), 1)} " +
        $"raw_downtime_ms={N(MigrationRow.Median(rows.Where(r => (r.RawPauseMs ?? r.RawDowntimeMs) is not null).Select(r => (r.RawPauseMs ?? r.RawDowntimeMs)!.Value)), 1)}";

    private static string Met(bool met) => met ? "met" : "MISSED";

    private static string Count(List<MigrationMeasurement> runs, long count) => runs.Count == 0 ? "n/a" : count.ToString(CultureInfo.InvariantCulture);

    private static string N(double? value, int decimals) => value is { } v ? F(v, decimals) : "n/a";

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<string> QemuVersionAsync(CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("--version");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("qemu-system-x86_64 did not start");
        var version = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Split('\n')[0].Trim();
        await process.WaitForExitAsync(cancellationToken);
        return version;
    }
}
