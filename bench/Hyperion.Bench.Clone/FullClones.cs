using System.Diagnostics;
using System.Globalization;

namespace Hyperion.Bench.Clone;

/// <summary>Part 2's results: copy times over runs, and what the first copy of each kind looked like.</summary>
internal sealed class FullResult(int sizeGiB, int dataMiB)
{
    public int SizeGiB { get; } = sizeGiB;

    public int DataMiB { get; } = dataMiB;

    public double SourceAllocatedMiB { get; set; }

    /// <summary>Our full clone of the powered-off VM (qemu-img convert in the agent): clone call → 201.</summary>
    public List<double> OursOffMs { get; } = [];

    /// <summary>Baseline: <c>qemu-img convert -O qcow2</c> of the same (closed) source file.</summary>
    public List<double> ConvertOffMs { get; } = [];

    /// <summary>Our full clone of the running VM (delta disks, convert of the frozen image, merge): clone call → 201.</summary>
    public List<double> OursRunningMs { get; } = [];

    /// <summary><c>qemu-img convert -U</c> of the running VM's disk: the same copy under the same load.</summary>
    public List<double> ConvertRunningMs { get; } = [];

    /// <summary>The fsync of the copy's file right after each copy above (in the same order): what making it durable adds
    /// (ours fsyncs before it answers, so its own is ~0; qemu-img convert leaves its output in the page cache).</summary>
    public List<double> OursOffSyncMs { get; } = [];

    public List<double> ConvertOffSyncMs { get; } = [];

    public List<double> OursRunningSyncMs { get; } = [];

    public List<double> ConvertRunningSyncMs { get; } = [];

    public double OursOffAllocatedMiB { get; set; }

    public double ConvertAllocatedMiB { get; set; }

    public double OursRunningAllocatedMiB { get; set; }

    public bool? OursOffIdentical { get; set; }

    public bool? OursRunningIdentical { get; set; }

    /// <summary>Copy + the fsync after it, per run: the time until the copy is on disk.</summary>
    public static List<double> Durable(List<double> copies, List<double> syncs) => copies.Zip(syncs, (c, s) => c + s).ToList();

    public double? MiBps(List<double> ms) => Stats.Median(ms) is { } m ? DataMiB / (m / 1000) : null;

    /// <summary>MiB/s of the fastest run.</summary>
    public double? BestMiBps(List<double> ms) => ms.Count == 0 ? null : DataMiB / (ms.Min() / 1000);

    /// <summary>Our best throughput / the baseline's best: the goal's measure (see <see cref="FullClones"/>).</summary>
    public double? BestRatio(List<double> ours, List<double> baseline) => BestMiBps(ours) / BestMiBps(baseline);

    /// <summary>Our throughput / qemu-img convert's on median times.</summary>
    public double? Ratio(List<double> ours, List<double> baseline) => MiBps(ours) / MiBps(baseline);
}

/// <summary>
/// Part 2 — "full clone throughput vs qemu-img convert of the same disk (ratio ≥ 0.95)". A VM whose disk holds
/// DATA MiB of non-zero data; powered off: our full clone against qemu-img convert of its disk file, alternating; then
/// running: our full clone (delta disks, convert, merge) against qemu-img convert -U. Every copy is followed by an fsync
/// of its file (timed apart: the copy made durable), then deleted; the first copy of each kind is compared with its
/// source. The goal is judged on durable copies (a clone the agent registers is on disk: it fsyncs before it answers;
/// qemu-img convert exits with its output still in the page cache), on the fastest run of each side: on this machine (itself a VM, nested "PVM") the same 1 GiB page-cache copy takes 0.4 s or 2 s from one
/// copy to the next whoever makes it — the host's memory, not the copy — so medians of a few runs compare noise.
/// </summary>
internal static class FullClones
{
    private const string Source = "full-src";

    public static async Task<FullResult> RunAsync(CloneAgent agent, CloneBenchOptions options, string scratch, TextWriter log, CancellationToken cancellationToken)
    {
        var result = new FullResult(options.FullSizeGiB, options.FullDataMiB);
        try
        {
            var source = await agent.CreateAsync(Source, options.FullSizeGiB);
            var disk = CloneAgent.DiskPath(source);
            await HostTools.WriteDataAsync(disk, [(0, options.FullDataMiB)], cancellationToken);
            await HostTools.SyncAsync(cancellationToken);
            result.SourceAllocatedMiB = HostTools.ToMiB(await HostTools.AllocatedBytesAsync([disk], cancellationToken));
            await log.WriteLineAsync($"[full] source VM '{Source}': {options.FullSizeGiB} GiB disk, {options.FullDataMiB} MiB of 0x5a written ({Stats.F(result.SourceAllocatedMiB, 0)} MiB allocated)");

            // Powered off. An untimed read first, so that both sides find the source in the page cache alike.
            await HostTools.ConvertAsync(disk, Path.Combine(scratch, "warm.qcow2"), shared: false, cancellationToken);
            File.Delete(Path.Combine(scratch, "warm.qcow2"));
            for (var run = 0; run < options.Runs; run++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"fc-off-{run + 1}");
                var copy = Path.Combine(scratch, string.Create(CultureInfo.InvariantCulture, $"convert-off-{run + 1}.qcow2"));
                if (run % 2 == 0)
                {
                    await OursAsync(agent, name, disk, result.OursOffMs, result.OursOffSyncMs, run == 0 ? (mib, same) => (result.OursOffAllocatedMiB, result.OursOffIdentical) = (mib, same) : null, cancellationToken);
                    await ConvertAsync(disk, copy, shared: false, result.ConvertOffMs, result.ConvertOffSyncMs, run == 0 ? mib => result.ConvertAllocatedMiB = mib : null, cancellationToken);
                }
                else
                {
                    await ConvertAsync(disk, copy, shared: false, result.ConvertOffMs, result.ConvertOffSyncMs, null, cancellationToken);
                    await OursAsync(agent, name, disk, result.OursOffMs, result.OursOffSyncMs, null, cancellationToken);
                }

                await log.WriteLineAsync($"[full, powered off] run {run + 1}/{options.Runs}: ours {Stats.F(result.OursOffMs[^1], 0)} ms, qemu-img convert {Stats.F(result.ConvertOffMs[^1], 0)} ms");
            }

            // Running: the tiny guest ticking, its disk open in QEMU.
            await agent.PowerOnAsync(Source);
            await agent.Api.WaitForTickAsync(Source, 3);
            for (var run = 0; run < options.Runs; run++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"fc-run-{run + 1}");
                var copy = Path.Combine(scratch, string.Create(CultureInfo.InvariantCulture, $"convert-run-{run + 1}.qcow2"));
                if (run % 2 == 0)
                {
                    await OursAsync(agent, name, disk, result.OursRunningMs, result.OursRunningSyncMs, run == 0 ? (mib, same) => (result.OursRunningAllocatedMiB, result.OursRunningIdentical) = (mib, same) : null, cancellationToken);
                    await ConvertAsync(disk, copy, shared: true, result.ConvertRunningMs, result.ConvertRunningSyncMs, null, cancellationToken);
                }
                else
                {
                    await ConvertAsync(disk, copy, shared: true, result.ConvertRunningMs, result.ConvertRunningSyncMs, null, cancellationToken);
                    await OursAsync(agent, name, disk, result.OursRunningMs, result.OursRunningSyncMs, null, cancellationToken);
                }

                await log.WriteLineAsync($"[full, running] run {run + 1}/{options.Runs}: ours (delta disks + convert + merge) {Stats.F(result.OursRunningMs[^1], 0)} ms, qemu-img convert -U {Stats.F(result.ConvertRunningMs[^1], 0)} ms");
            }

            await agent.PowerOffAsync(Source);
        }
        finally
        {
            await agent.TryRemoveAllAsync("fc-", log);
            await agent.TryRemoveAsync(Source, log);
        }

        return result;
    }

    private static async Task OursAsync(CloneAgent agent, string name, string sourceDisk, List<double> times, List<double> syncs, Action<double, bool>? inspect, CancellationToken cancellationToken)
    {
        var (clone, ms) = await agent.CloneAsync(Source, name, linked: false, powerOn: false);
        times.Add(ms);
        var disk = CloneAgent.DiskPath(clone);
        syncs.Add(await TimedFsyncAsync(disk));
        if (inspect is not null)
        {
            inspect(HostTools.ToMiB(await HostTools.AllocatedBytesAsync([disk], cancellationToken)), await HostTools.IdenticalAsync(sourceDisk, disk, cancellationToken));
        }

        await agent.DeleteAsync(name);
        await HostTools.SyncAsync(cancellationToken);
    }

    private static async Task ConvertAsync(string source, string copy, bool shared, List<double> times, List<double> syncs, Action<double>? inspect, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await HostTools.ConvertAsync(source, copy, shared, cancellationToken);
        times.Add(clock.Elapsed.TotalMilliseconds);
        syncs.Add(await TimedFsyncAsync(copy));
        if (inspect is not null)
        {
            inspect(HostTools.ToMiB(await HostTools.AllocatedBytesAsync([copy], cancellationToken)));
        }

        File.Delete(copy);
        await HostTools.SyncAsync(cancellationToken);
    }

    /// <summary>How long the copy's data takes to reach the disk after the copy returned (what a durable copy adds).</summary>
    private static async Task<double> TimedFsyncAsync(string copy)
    {
        var clock = Stopwatch.StartNew();
        await HostTools.FsyncAsync(copy);
        return clock.Elapsed.TotalMilliseconds;
    }
}
