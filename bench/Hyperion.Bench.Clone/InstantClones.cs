using System.Diagnostics;
using System.Globalization;

namespace Hyperion.Bench.Clone;

/// <summary>The measurements of one template disk size (part 1), each a list over runs.</summary>
internal sealed class InstantRow(int sizeGiB, int dataMiB)
{
    public int SizeGiB { get; } = sizeGiB;

    public int DataMiB { get; } = dataMiB;

    public double TemplateAllocatedMiB { get; set; }

    /// <summary>Baseline: power-on call of an existing VM (same disk size and data) → 200.</summary>
    public List<double> BaselineResponseMs { get; } = [];

    /// <summary>Baseline: power-on call → first tick.</summary>
    public List<double> BaselineTickMs { get; } = [];

    /// <summary>Linked clone, powered off: clone call → 201.</summary>
    public List<double> CloneCallMs { get; } = [];

    /// <summary>Linked clone with powerOn: clone call → 201 (overlays made, registered, QEMU started, QMP up).</summary>
    public List<double> CloneOnResponseMs { get; } = [];

    /// <summary>Linked clone with powerOn: clone call → first tick.</summary>
    public List<double> CloneOnTickMs { get; } = [];

    /// <summary>The clone's own cost to the first tick: median(clone + power-on → tick) − median(baseline → tick).</summary>
    public double? OverheadToTickMs => Stats.Median(CloneOnTickMs) - Stats.Median(BaselineTickMs);

    /// <summary>The same on the responses (no guest boot in it, so far less noise): clone+power-on 201 − power-on 200.</summary>
    public double? OverheadToResponseMs => Stats.Median(CloneOnResponseMs) - Stats.Median(BaselineResponseMs);
}

/// <summary>
/// Part 1 — "linked clone + power-on to first tick under 1 s for any disk size". Per size: a template (sparse qcow2
/// with data written into both ends, then marked as template) and a baseline VM with an identical disk; per run, in
/// alternating order, the baseline's power-on → first tick, a linked clone alone, and a linked clone with powerOn →
/// first tick. Every clone is powered off and deleted after its run.
/// </summary>
internal static class InstantClones
{
    public static async Task<List<InstantRow>> RunAsync(CloneAgent agent, CloneBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var rows = new List<InstantRow>();
        var first = true;
        foreach (var size in options.SizesGiB)
        {
            var row = new InstantRow(size, options.TemplateDataMiB);
            rows.Add(row);
            var template = Name("tpl", size);
            var baseline = Name("base", size);
            try
            {
                var templateVm = await PrepareAsync(agent, template, size, options.TemplateDataMiB, cancellationToken);
                await agent.MarkTemplateAsync(template);
                row.TemplateAllocatedMiB = HostTools.ToMiB(await HostTools.AllocatedBytesAsync([CloneAgent.DiskPath(templateVm)], cancellationToken));
                var baselineVm = await PrepareAsync(agent, baseline, size, options.TemplateDataMiB, cancellationToken);
                await log.WriteLineAsync($"[instant {size} GiB] template '{template}' ({Stats.F(row.TemplateAllocatedMiB, 1)} MiB allocated of {size} GiB) and baseline VM '{baseline}' ready");

                if (first)
                {
                    // The agent's first clone and power-on pay for JIT and first-use costs: one untimed round.
                    first = false;
                    var warm = new InstantRow(size, options.TemplateDataMiB);
                    await BaselineAsync(agent, baselineVm, warm, cancellationToken);
                    await CloneOnlyAsync(agent, template, $"{Name("lc", size)}-warm-off", warm);
                    await CloneAndBootAsync(agent, template, $"{Name("lc", size)}-warm-on", warm, cancellationToken);
                    await log.WriteLineAsync($"[instant {size} GiB] warm-up round (not counted): baseline {Stats.F(warm.BaselineTickMs[0], 0)} ms to tick, clone {Stats.F(warm.CloneCallMs[0], 0)} ms, clone + power-on {Stats.F(warm.CloneOnTickMs[0], 0)} ms to tick");
                }

                for (var run = 0; run < options.Runs; run++)
                {
                    var off = string.Create(CultureInfo.InvariantCulture, $"{Name("lc", size)}-{run + 1}-off");
                    var on = string.Create(CultureInfo.InvariantCulture, $"{Name("lc", size)}-{run + 1}-on");
                    if (run % 2 == 0)
                    {
                        await BaselineAsync(agent, baselineVm, row, cancellationToken);
                        await CloneOnlyAsync(agent, template, off, row);
                        await CloneAndBootAsync(agent, template, on, row, cancellationToken);
                    }
                    else
                    {
                        await CloneAndBootAsync(agent, template, on, row, cancellationToken);
                        await CloneOnlyAsync(agent, template, off, row);
                        await BaselineAsync(agent, baselineVm, row, cancellationToken);
                    }

                    await log.WriteLineAsync(
                        $"[instant {size} GiB] run {run + 1}/{options.Runs}: baseline power-on → 200 {Stats.F(row.BaselineResponseMs[^1], 0)} ms, → tick {Stats.F(row.BaselineTickMs[^1], 0)} ms; " +
                        $"linked clone → 201 {Stats.F(row.CloneCallMs[^1], 0)} ms; linked clone + power-on → 201 {Stats.F(row.CloneOnResponseMs[^1], 0)} ms, → tick {Stats.F(row.CloneOnTickMs[^1], 0)} ms");
                }
            }
            finally
            {
                // Clones first (a template with linked clones cannot be deleted), whatever state a failure left.
                await agent.TryRemoveAllAsync(Name("lc", size) + "-", log);
                await agent.TryRemoveAsync(baseline, log);
                await agent.TryRemoveAsync(template, log);
            }
        }

        return rows;
    }

    private static string Name(string prefix, int sizeGiB) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{sizeGiB}g");

    /// <summary>A VM with one disk of <paramref name="sizeGiB"/> GiB holding <paramref name="dataMiB"/> MiB of 0x5a: half at the start, half at the end.</summary>
    private static async Task<Hyperion.Contracts.Vms.VmDto> PrepareAsync(CloneAgent agent, string name, int sizeGiB, int dataMiB, CancellationToken cancellationToken)
    {
        var vm = await agent.CreateAsync(name, sizeGiB);
        var half = dataMiB / 2;
        await HostTools.WriteDataAsync(CloneAgent.DiskPath(vm), [(0, dataMiB - half), ((sizeGiB * 1024L) - half, half)], cancellationToken);
        return vm;
    }

    private static async Task BaselineAsync(CloneAgent agent, Hyperion.Contracts.Vms.VmDto vm, InstantRow row, CancellationToken cancellationToken)
    {
        var serial = CloneAgent.SerialLog(vm);
        var offset = FirstTick.Offset(serial);
        var clock = Stopwatch.StartNew();
        var (_, response) = await agent.PowerOnAsync(vm.Name);
        var tick = await FirstTick.WaitAsync(serial, offset, clock, cancellationToken);
        row.BaselineResponseMs.Add(response);
        row.BaselineTickMs.Add(tick);
        await agent.PowerOffAsync(vm.Name);
    }

    private static async Task CloneOnlyAsync(CloneAgent agent, string template, string name, InstantRow row)
    {
        var (_, ms) = await agent.CloneAsync(template, name, linked: true, powerOn: false);
        row.CloneCallMs.Add(ms);
        await agent.DeleteAsync(name);
    }

    private static async Task CloneAndBootAsync(CloneAgent agent, string template, string name, InstantRow row, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (clone, response) = await agent.CloneAsync(template, name, linked: true, powerOn: true);
        var tick = await FirstTick.WaitAsync(CloneAgent.SerialLog(clone), 0, clock, cancellationToken);
        row.CloneOnResponseMs.Add(response);
        row.CloneOnTickMs.Add(tick);
        await agent.PowerOffAsync(name);
        await agent.DeleteAsync(name);
    }
}
