using System.Diagnostics;
using System.Globalization;
using Hyperion.Testing;

// HA failover benchmark: power loss of a host (every process in its namespace killed at once) → first tick of each of
// its protected VMs restarted on a survivor, over a three-host lab with HA on. Baseline measured in the same run: a
// power-on through the Center → first tick of the same tiny guest (the part of a failover no HA design can avoid).
// Usage: hyperion-bench-ha [--runs 10] [--vms 1,20]
var runs = 10;
var sizes = new List<int> { 1, 20 };
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--runs")
    {
        runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--vms")
    {
        sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }
}

var rows = new List<string[]>();
foreach (var count in sizes)
{
    Console.Error.WriteLine($"== {count} protected VM(s), {runs} power losses");
    await using var lab = await HaLab.UpAsync(hosts: 3);
    var names = Enumerable.Range(1, count).Select(i => $"b{i:D2}").ToList();
    var baseline = new List<double>();
    foreach (var name in names)
    {
        var clock = Stopwatch.StartNew();
        await lab.CreateRunningVmAsync(name, hostIndex: 1);
        var started = clock.Elapsed;
        await WaitAsync(() => lab.TickedAfterBoot(name, 0), TimeSpan.FromSeconds(120), $"{name} first tick");
        baseline.Add(clock.Elapsed.TotalSeconds);
        Console.Error.WriteLine($"   {name}: create+power-on {started.TotalSeconds:F1} s, first tick {clock.Elapsed.TotalSeconds:F1} s");
    }

    await WaitAsync(() => lab.StatusAsync().GetAwaiter().GetResult().Vms.Count(v => v.Protection == "protected") >= count + 1, TimeSpan.FromSeconds(60), "all protected");
    var first = new List<double>();
    var all = new List<double>();
    for (var run = 1; run <= runs; run++)
    {
        var status = await lab.StatusAsync();
        var byHost = status.Vms.Where(v => names.Contains(v.Name)).GroupBy(v => v.HostId).OrderByDescending(g => g.Count()).First();
        var victimId = byHost.Key;
        var victim = 0;
        for (var h = 1; h <= 3; h++)
        {
            if ((await lab.HostAsync(h)).Id == victimId)
            {
                victim = h;
            }
        }

        var moving = byHost.Select(v => v.Name).ToList();
        var boots = moving.ToDictionary(n => n, n => TinyGuestLog.CountBoots(lab.SerialLog(n)));
        var clock = Stopwatch.StartNew();
        await lab.FaultAsync(victim, "power-off");
        var ticked = new Dictionary<string, double>();
        while (ticked.Count < moving.Count && clock.Elapsed < TimeSpan.FromSeconds(180))
        {
            foreach (var name in moving.Where(n => !ticked.ContainsKey(n) && lab.TickedAfterBoot(n, boots[n])))
            {
                ticked[name] = clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(50);
        }

        if (ticked.Count < moving.Count)
        {
            throw new TimeoutException($"run {run}: only {ticked.Count} of {moving.Count} VMs of host-{victim} ticked again within 180 s");
        }

        first.Add(ticked.Values.Min());
        all.Add(ticked.Values.Max());
        Console.Error.WriteLine($"   run {run}: host-{victim} lost power with {moving.Count} VM(s): first tick {ticked.Values.Min():F1} s, all {ticked.Values.Max():F1} s");
        await lab.PowerOnAsync(victim);
        await WaitAsync(() => lab.StatusAsync().GetAwaiter().GetResult().Hosts.Count(h => h.State is "master" or "connected") == 3, TimeSpan.FromSeconds(60), $"host-{victim} back");
    }

    rows.Add([$"{count}", F(Median(baseline)), F(Median(first)), F(first.Max()), F(Median(all)), F(all.Max())]);
}

Console.WriteLine();
Console.WriteLine("HA failover: power loss → first tick of the restarted VM (seconds; 3-host lab, TCG, lease TTL 5 s)");
Console.WriteLine($"{"VMs",4} | {"baseline boot",13} | {"first VM median",15} | {"first VM max",12} | {"all VMs median",14} | {"all VMs max",11}");
foreach (var row in rows)
{
    Console.WriteLine($"{row[0],4} | {row[1],13} | {row[2],15} | {row[3],12} | {row[4],14} | {row[5],11}");
}

Console.WriteLine("anchors (published): vSphere HA declares a host dead after ~15 s (then restarts); Proxmox VE HA ~120 s; Harvester 5–10 min");
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
{
    var clock = Stopwatch.StartNew();
    while (!condition())
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s");
        }

        await Task.Delay(100);
    }
}
