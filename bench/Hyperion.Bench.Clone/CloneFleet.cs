using System.Diagnostics;
using System.Globalization;

namespace Hyperion.Bench.Clone;

/// <summary>One batch of linked clones from the fleet template: made, measured, deleted.</summary>
internal sealed class FleetBatch(string label, int clones, int inFlight)
{
    public string Label { get; } = label;

    public int Clones { get; } = clones;

    public int InFlight { get; } = inFlight;

    public List<double> CloneMs { get; } = [];

    public double TotalMs { get; set; }

    public double AllocatedMiB { get; set; }

    public List<double> DeleteMs { get; } = [];

    public double DeleteTotalMs { get; set; }
}

/// <summary>Part 3's results.</summary>
internal sealed class FleetResult(int templateGiB, int dataMiB)
{
    public int TemplateGiB { get; } = templateGiB;

    public int DataMiB { get; } = dataMiB;

    public double TemplateAllocatedMiB { get; set; }

    public List<FleetBatch> Batches { get; } = [];
}

/// <summary>
/// Part 3 — "100 linked clones from one template: time and space used". One template (the smallest size of part 1,
/// same data); CLONES linked clones made one request at a time, the allocated space of their folders measured, then
/// deleted one at a time; then the same with CONCURRENCY requests in flight (creates and deletes).
/// </summary>
internal static class CloneFleet
{
    private const string Template = "fleet-tpl";

    public static async Task<FleetResult> RunAsync(CloneAgent agent, CloneBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var size = options.SizesGiB.Min();
        var result = new FleetResult(size, options.TemplateDataMiB);
        try
        {
            var template = await agent.CreateAsync(Template, size);
            var half = options.TemplateDataMiB / 2;
            await HostTools.WriteDataAsync(CloneAgent.DiskPath(template), [(0, options.TemplateDataMiB - half), ((size * 1024L) - half, half)], cancellationToken);
            await agent.MarkTemplateAsync(Template);
            result.TemplateAllocatedMiB = HostTools.ToMiB(await HostTools.AllocatedBytesAsync([template.Folder], cancellationToken));
            await log.WriteLineAsync($"[fleet] template '{Template}': {size} GiB disk, {options.TemplateDataMiB} MiB written, folder {Stats.F(result.TemplateAllocatedMiB, 1)} MiB allocated");

            result.Batches.Add(await BatchAsync(agent, new FleetBatch("one at a time", options.Clones, 1), "fl-seq", log, cancellationToken));
            if (options.Concurrency > 1)
            {
                result.Batches.Add(await BatchAsync(agent, new FleetBatch(string.Create(CultureInfo.InvariantCulture, $"{options.Concurrency} in flight"), options.Clones, options.Concurrency), "fl-par", log, cancellationToken));
            }
        }
        finally
        {
            await agent.TryRemoveAllAsync("fl-", log);
            await agent.TryRemoveAsync(Template, log);
        }

        return result;
    }

    private static async Task<FleetBatch> BatchAsync(CloneAgent agent, FleetBatch batch, string prefix, TextWriter log, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(1, batch.Clones).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D3}")).ToList();
        var folders = new string[names.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = batch.InFlight, CancellationToken = cancellationToken };

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), parallel, async (i, _) =>
        {
            var (clone, ms) = await agent.CloneAsync(Template, names[i], linked: true, powerOn: false);
            folders[i] = clone.Folder;
            lock (batch.CloneMs)
            {
                batch.CloneMs.Add(ms);
            }
        });
        batch.TotalMs = clock.Elapsed.TotalMilliseconds;
        batch.AllocatedMiB = HostTools.ToMiB(await HostTools.AllocatedBytesAsync(folders, cancellationToken));
        await log.WriteLineAsync($"[fleet, {batch.Label}] {batch.Clones} linked clones in {Stats.F(batch.TotalMs / 1000, 2)} s (per clone p50/p95/max {Stats.Latencies(batch.CloneMs)} ms), {Stats.F(batch.AllocatedMiB, 1)} MiB allocated");

        clock.Restart();
        await Parallel.ForEachAsync(names, parallel, async (name, _) =>
        {
            var ms = await agent.DeleteAsync(name);
            lock (batch.DeleteMs)
            {
                batch.DeleteMs.Add(ms);
            }
        });
        batch.DeleteTotalMs = clock.Elapsed.TotalMilliseconds;
        await log.WriteLineAsync($"[fleet, {batch.Label}] deleted in {Stats.F(batch.DeleteTotalMs / 1000, 2)} s (per clone p50/p95/max {Stats.Latencies(batch.DeleteMs)} ms)");
        return batch;
    }
}
