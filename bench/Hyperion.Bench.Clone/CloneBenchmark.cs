using System.Diagnostics;
using Hyperion.Testing;
using static Hyperion.Bench.Clone.Stats;

namespace Hyperion.Bench.Clone;

/// <summary>
/// Starts one real host agent (<c>hyperion host serve --accel tcg</c>, out of process, throw-away data directory) and
/// runs the three parts in order, one operation at a time except the fleet's concurrent batch; prints a progress line
/// per step, then the tables, the goal checks and the machine-readable last line. The agent, its QEMUs and the
/// scratch directory go on the way out, failure or Ctrl-C included.
/// </summary>
internal static class CloneBenchmark
{
    private const double InstantGoalMs = 1000;
    private const double ThroughputRatioGoal = 0.95;

    public static async Task<int> RunAsync(CloneBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var qemu = await HostTools.VersionAsync("qemu-system-x86_64", cancellationToken);
        var loadBefore = LoadAverage();
        await output.WriteLineAsync($"clones and templates, tiny guest ({TinyGuest.Directory}), TCG, q35, 1 vCPU, 128 MiB; {qemu}; {Os()}; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores");

        await using var host = await HostAgentProcess.StartAsync("tcg");
        using var scratch = new TestDirectory("hyclone");
        var agent = new CloneAgent(host.Api);
        await output.WriteLineAsync($"host agent pid {host.Pid}, data {host.Data.Path} ({await FileSystemAsync(host.Data.Path, cancellationToken)}), scratch {scratch.Path}; load average at start {loadBefore}");

        var instant = options.Instant ? await InstantClones.RunAsync(agent, options, output, cancellationToken) : [];
        var full = options.Full ? await FullClones.RunAsync(agent, options, scratch.Path, output, cancellationToken) : null;
        var fleet = options.Fleet ? await CloneFleet.RunAsync(agent, options, output, cancellationToken) : null;

        await output.WriteLineAsync();
        if (instant.Count > 0)
        {
            await PrintInstantAsync(options, instant, output);
        }

        if (full is not null)
        {
            await PrintFullAsync(options, full, output);
        }

        if (fleet is not null)
        {
            await PrintFleetAsync(fleet, output);
        }

        await output.WriteLineAsync($"machine load average (1/5/15 min) at start: {loadBefore}; at end: {LoadAverage()}; wall time {F(wall.Elapsed.TotalMinutes, 1)} min");
        await output.WriteLineAsync(LastLine(instant, full, fleet));
        return 0;
    }

    private static async Task PrintInstantAsync(CloneBenchOptions options, List<InstantRow> rows, TextWriter output)
    {
        await output.WriteLineAsync($"1. linked clone + power-on → first tick (goal < 1 s for any disk size); median (min–max) over {options.Runs} run(s), ms. Baseline: power-on of an existing VM with the same disk.");
        await output.WriteLineAsync("   Under TCG the guest's boot alone takes seconds, so the goal can only be judged on the clone's own cost. It is judged on (clone + power-on → 201) − (power-on → 200):");
        await output.WriteLineAsync("   QEMU has opened the disk chain when either call returns, and the tiny guest reads no more of its disk than the kernel's partition probe, so what follows is the same boot for both.");
        await output.WriteLineAsync("   The same difference taken at the first tick is shown too, but it carries the boot's run-to-run noise (seconds under TCG on 2 cores).");
        await output.WriteLineAsync("| template disk (data written) | template disk allocated MiB | baseline: power-on → 200 | baseline: power-on → first tick | linked clone → 201 | linked clone + power-on → 201 | linked clone + power-on → first tick | clone's own cost (201 − 200) | same, at the first tick (noisy) | goal < 1 s (clone's own cost) |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var met = Stats.Median(r.CloneCallMs) < InstantGoalMs && r.OverheadToResponseMs < InstantGoalMs;
            await output.WriteLineAsync(
                $"| {r.SizeGiB} GiB ({r.DataMiB} MiB) | {F(r.TemplateAllocatedMiB, 1)} | {Spread(r.BaselineResponseMs)} | {Spread(r.BaselineTickMs)} | {Spread(r.CloneCallMs)} | {Spread(r.CloneOnResponseMs)} | {Spread(r.CloneOnTickMs)} " +
                $"| {N(r.OverheadToResponseMs, 0)} | {N(r.OverheadToTickMs, 0)} | {(met ? "met" : "MISSED")} |");
        }

        var worstAbsolute = rows.Max(r => Stats.Median(r.CloneOnTickMs));
        await output.WriteLineAsync($"   Absolute clone + power-on → first tick is {N(worstAbsolute, 0)} ms at worst here (MISSED as an absolute figure under TCG, where the boot itself is most of it); it cannot be judged on this machine.");
        await output.WriteLineAsync();
    }

    private static async Task PrintFullAsync(CloneBenchOptions options, FullResult r, TextWriter output)
    {
        await output.WriteLineAsync($"2. full clone throughput vs qemu-img convert of the same disk (goal ratio ≥ {F(ThroughputRatioGoal, 2)}); {r.SizeGiB} GiB disk, {r.DataMiB} MiB of data ({F(r.SourceAllocatedMiB, 0)} MiB allocated); {options.Runs} run(s) each, alternating.");
        await output.WriteLineAsync("   Times are median (min–max) ms; MiB/s = data MiB / time. 'durable' = the copy + an fsync of its file right after: the agent fsyncs a clone before it");
        await output.WriteLineAsync("   answers (a registered clone is on disk), qemu-img convert exits with its output still in the page cache, so durable copies are what compares like with like.");
        await output.WriteLineAsync("   The goal is judged on the fastest durable run of each side (best MiB/s): copies swing by up to 4× from one to the next here whoever makes them.");
        await output.WriteLineAsync("| copy | durable ms, ours | baseline | durable ms, baseline | best durable MiB/s ours / baseline | durable ratio, best runs | goal ≥ 0.95 | durable ratio, medians | page-cache ms, ours / baseline (medians) | page-cache ratio, best runs | copy allocated MiB (ours / baseline) | clone reads the same as its source |");
        await output.WriteLineAsync("|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|");
        await Row("powered-off VM: full clone (qemu-img convert in the agent)", r.OursOffMs, r.OursOffSyncMs, "qemu-img convert -O qcow2", r.ConvertOffMs, r.ConvertOffSyncMs, $"{F(r.OursOffAllocatedMiB, 0)} / {F(r.ConvertAllocatedMiB, 0)}", r.OursOffIdentical);
        await Row("running VM: full clone (delta disks, qemu-img convert, merge)", r.OursRunningMs, r.OursRunningSyncMs, "qemu-img convert -O qcow2 (VM powered off, row above)", r.ConvertOffMs, r.ConvertOffSyncMs, $"{F(r.OursRunningAllocatedMiB, 0)} / {F(r.ConvertAllocatedMiB, 0)}", r.OursRunningIdentical);
        await Row("running VM: full clone (delta disks, qemu-img convert, merge)", r.OursRunningMs, r.OursRunningSyncMs, "qemu-img convert -U -O qcow2 (VM running)", r.ConvertRunningMs, r.ConvertRunningSyncMs, string.Empty, null);
        await output.WriteLineAsync();

        async Task Row(string label, List<double> ours, List<double> oursSync, string baselineLabel, List<double> baseline, List<double> baselineSync, string allocated, bool? identical)
        {
            var oursDurable = FullResult.Durable(ours, oursSync);
            var baselineDurable = FullResult.Durable(baseline, baselineSync);
            var best = r.BestRatio(oursDurable, baselineDurable);
            await output.WriteLineAsync(
                $"| {label} | {Spread(oursDurable)} | {baselineLabel} | {Spread(baselineDurable)} | {N(r.BestMiBps(oursDurable), 0)} / {N(r.BestMiBps(baselineDurable), 0)} | {N(best, 3)} | {(best is null ? "n/a" : best >= ThroughputRatioGoal ? "met" : "MISSED")} " +
                $"| {N(r.Ratio(oursDurable, baselineDurable), 3)} | {N(Stats.Median(ours), 0)} / {N(Stats.Median(baseline), 0)} | {N(r.BestRatio(ours, baseline), 3)} | {allocated} | {identical switch { null => string.Empty, true => "yes", false => "NO" }} |");
        }
    }

    private static async Task PrintFleetAsync(FleetResult r, TextWriter output)
    {
        await output.WriteLineAsync($"3. linked clones from one template ({r.TemplateGiB} GiB disk, {r.DataMiB} MiB written; template folder {F(r.TemplateAllocatedMiB, 1)} MiB allocated): time and space; allocated = du of the clones' folders (blocks, not apparent size).");
        await output.WriteLineAsync("| batch | clones | total s | clones/s | per clone p50 / p95 / max ms | clones allocated MiB | clones × template allocated MiB | space ratio | delete total s | delete per clone p50 / p95 / max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var b in r.Batches)
        {
            var full = b.Clones * r.TemplateAllocatedMiB;
            await output.WriteLineAsync(
                $"| {b.Label} | {b.Clones} | {F(b.TotalMs / 1000, 2)} | {F(b.Clones / (b.TotalMs / 1000), 1)} | {Latencies(b.CloneMs)} | {F(b.AllocatedMiB, 1)} | {F(full, 0)} | {F(b.AllocatedMiB / full, 4)} | {F(b.DeleteTotalMs / 1000, 2)} | {Latencies(b.DeleteMs)} |");
        }

        await output.WriteLineAsync();
    }

    /// <summary>clone_call_ms and clone_overhead_ms: the worst size's median; ratios on the best runs (and on medians); fleet: the one-at-a-time batch.</summary>
    private static string LastLine(List<InstantRow> instant, FullResult? full, FleetResult? fleet)
    {
        var sequential = fleet?.Batches.FirstOrDefault();
        return $"clone_call_ms={N(instant.Count == 0 ? null : instant.Max(r => Stats.Median(r.CloneCallMs)), 0)} " +
            $"clone_overhead_ms={N(instant.Count == 0 ? null : instant.Max(r => r.OverheadToResponseMs), 0)} " +
            $"clone_overhead_at_tick_ms={N(instant.Count == 0 ? null : instant.Max(r => r.OverheadToTickMs), 0)} " +
            $"full_clone_ratio={N(full is null ? null : full.BestRatio(FullResult.Durable(full.OursOffMs, full.OursOffSyncMs), FullResult.Durable(full.ConvertOffMs, full.ConvertOffSyncMs)), 3)} " +
            $"full_clone_ratio_medians={N(full is null ? null : full.Ratio(FullResult.Durable(full.OursOffMs, full.OursOffSyncMs), FullResult.Durable(full.ConvertOffMs, full.ConvertOffSyncMs)), 3)} " +
            $"running_clone_ratio={N(full is null ? null : full.BestRatio(FullResult.Durable(full.OursRunningMs, full.OursRunningSyncMs), FullResult.Durable(full.ConvertOffMs, full.ConvertOffSyncMs)), 3)} " +
            $"fleet_clone_p50_ms={N(sequential is null ? null : Percentile(sequential.CloneMs, 50), 0)} " +
            $"fleet_space_ratio={N(sequential is null ? null : sequential.AllocatedMiB / (sequential.Clones * fleet!.TemplateAllocatedMiB), 4)}";
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Os() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? "Linux"
            : "Linux";

    private static async Task<string> FileSystemAsync(string path, CancellationToken cancellationToken) =>
        (await HostTools.RunAsync("stat", ["-f", "-c", "%T", path], cancellationToken)).Trim();
}
