using System.Diagnostics;
using System.Globalization;
using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.Bench.Center;

/// <summary>
/// One Center (the real <c>hyperion center serve</c>, out of process) managing N SIMULATED hosts with M VMs, per
/// database: adds the hosts through the API (each add imports the host's VMs), then measures the VM list — whole
/// (every page at limit 1000) and paged (limit 100, first page and pages at random depths, also as a user whose
/// visibility is evaluated rather than short-circuited) — create-VM task throughput through <c>POST /api/vms</c>,
/// the Center's RSS and the database size. Latency is client-side: HTTPS, authentication, query and JSON included.
/// </summary>
internal static class CenterScaleBenchmark
{
    private const int HostsPerCluster = 25;
    private const int CreateConcurrency = 8;
    private const string ReaderPassword = "bench-reader-password";

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        await output.WriteLineAsync($"Center scale benchmark — SIMULATED hypervisor: {options.Hosts} host agents (in this process), {options.Vms} VMs; databases: {string.Join(", ", options.Databases)}");
        var loadBefore = LoadAverage();
        var results = new List<(string Database, Dictionary<string, string> Values)>();
        await using var estate = await SimulatedEstate.StartAsync(options.Hosts, options.Vms, output);
        foreach (var database in options.Databases)
        {
            results.Add((database, await RunOneAsync(options, estate, database, output)));
        }

        await PrintAsync(options, results, output);
        await output.WriteLineAsync($"machine load average (1/5/15 min) at start: {loadBefore}; at end: {LoadAverage()} — other work on these {Environment.ProcessorCount} cores shows in p99/max");
        return 0;
    }

    private static async Task<Dictionary<string, string>> RunOneAsync(BenchOptions options, SimulatedEstate estate, string database, TextWriter output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var postgres = database == "postgres" ? await BenchPostgres.StartAsync() : null;
        var connection = postgres is null ? null : await postgres.CreateDatabaseAsync("hyperion_bench");
        string[] databaseArgs = postgres is null ? [] : ["--database", "postgres", "--connection-string", connection!];
        await using var center = await CenterProcess.StartAsync([.. databaseArgs, "--host-monitor-interval", options.MonitorIntervalSeconds.ToString(CultureInfo.InvariantCulture)]);
        await output.WriteLineAsync($"[{database}] Center started (pid {center.Pid})");
        using var admin = await SessionAsync(center, CenterProcess.AdminUser, CenterProcess.AdminPassword);

        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("bench"))).As<DatacenterDto>(HttpStatusCode.Created);
        var clusters = new List<ClusterDto>();
        for (var c = 0; c < (options.Hosts + HostsPerCluster - 1) / HostsPerCluster; c++)
        {
            clusters.Add((await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest($"cluster-{c}", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created));
        }

        // Add every host (a task each; the host's VMs are imported in the add's transaction), a few at a time.
        var adding = Stopwatch.StartNew();
        var hostIds = new string[estate.Hosts.Count];
        await Parallel.ForEachAsync(estate.Hosts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (host, _) =>
        {
            var request = new HostAddRequest(host.Address, "root", SimulatedEstate.RootPassword, host.Fingerprint, clusters[host.Index / HostsPerCluster].Id, datacenter.Id);
            hostIds[host.Index] = (await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts", request), TimeSpan.FromMinutes(5))).Id;
        });
        adding.Stop();
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/vms?limit=1")).As<PageDto<CenterVmDto>>().Total;
        await output.WriteLineAsync($"[{database}] {estate.Hosts.Count} hosts added, {total} VMs imported in {adding.Elapsed.TotalSeconds:F1} s");
        values["hosts added (tasks, 4 at a time): total s"] = F(adding.Elapsed.TotalSeconds, 1);
        values["VMs in the Center"] = total.ToString("N0", CultureInfo.InvariantCulture);

        // A user whose visibility is evaluated (Read-only on the datacenter, not on the root folder): the SQL filter path.
        (await admin.SendAsync(HttpMethod.Post, "/api/users", new UserCreateRequest("reader", ReaderPassword))).EnsureStatus(HttpStatusCode.Created);
        (await admin.SendAsync(HttpMethod.Post, "/api/permissions", new PermissionCreateRequest("reader", "Read-only", datacenter.Id))).EnsureStatus(HttpStatusCode.Created);
        using var reader = await SessionAsync(center, "reader", ReaderPassword);

        // Cursors of every page at limit 100, for requests at random depths.
        var cursors = new List<string?> { null };
        for (var page = await PageAsync(admin, "limit=100", null); page.Next is not null; page = await PageAsync(admin, "limit=100", page.Next))
        {
            cursors.Add(page.Next);
        }

        for (var i = 0; i < 5; i++)
        {
            await PageAsync(admin, "limit=1000", null);
            await PageAsync(reader, "limit=100", null);
        }

        var random = new Random(42);
        var samples = options.Samples;
        values["VM list, whole (every page at limit=1000): ms"] = Percentiles(await TimeAsync(Math.Max(5, samples / 5), async () =>
        {
            var page = await PageAsync(admin, "limit=1000", null);
            var count = page.Items.Count;
            while (page.Next is not null)
            {
                page = await PageAsync(admin, "limit=1000", page.Next);
                count += page.Items.Count;
            }

            if (count != total)
            {
                throw new InvalidOperationException($"the whole list had {count} VMs, expected {total}");
            }
        }));
        values["VM list, one page at limit=1000: ms"] = Percentiles(await TimeAsync(samples, () => PageAsync(admin, "limit=1000", null)));
        values["VM list, first page at limit=100: ms"] = Percentiles(await TimeAsync(samples, () => PageAsync(admin, "limit=100", null)));
        values["VM list, page at random depth, limit=100: ms"] = Percentiles(await TimeAsync(samples, () => PageAsync(admin, "limit=100", cursors[random.Next(cursors.Count)])));
        values["VM list, last page, limit=100: ms"] = Percentiles(await TimeAsync(samples, () => PageAsync(admin, "limit=100", cursors[^1])));
        values["VM list as Read-only user, random depth, limit=100: ms"] = Percentiles(await TimeAsync(samples, () => PageAsync(reader, "limit=100", cursors[random.Next(cursors.Count)])));
        values["VM list filtered (host=…&powerState=poweredOff), limit=100: ms"] = Percentiles(await TimeAsync(samples, () =>
            PageAsync(admin, $"limit=100&powerState=poweredOff&host={hostIds[random.Next(hostIds.Length)]}", null)));
        values["VM list filtered (name substring), limit=100: ms"] = Percentiles(await TimeAsync(samples, () =>
            PageAsync(admin, $"limit=100&name=SIM-{random.Next(estate.Hosts.Count):D3}", null)));

        // Create-VM task throughput through the Center: POST /api/vms → 202 task → the Center creates it on the host.
        var created = new List<TaskDto>();
        var creating = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Creates), new ParallelOptions { MaxDegreeOfParallelism = CreateConcurrency }, async (i, _) =>
        {
            var request = new CenterVmCreateRequest { Host = hostIds[i % hostIds.Length], Spec = new VmCreateRequest { Name = string.Create(CultureInfo.InvariantCulture, $"made-{i:D5}") } };
            var task = await admin.WaitAsync(await admin.SendAsync(HttpMethod.Post, "/api/vms", request), TimeSpan.FromMinutes(5));
            if (task.State != "success")
            {
                throw new InvalidOperationException($"create task {task.Id} ended {task.State}: {task.Error?.Code} {task.Error?.Message}");
            }

            lock (created)
            {
                created.Add(task);
            }
        });
        creating.Stop();
        values[$"create-VM tasks via the Center ({options.Creates}, {CreateConcurrency} in flight): VMs/s"] = F(options.Creates / creating.Elapsed.TotalSeconds, 1);
        values["create-VM task, queued → completed: ms"] = Percentiles(created.Select(t => (t.CompletedAt!.Value - t.QueuedAt).TotalMilliseconds).ToList());

        values["Center RSS now / peak (out of process): MiB"] = $"{F(Rss(center.Pid, "VmRSS:") / 1024.0, 0)} / {F(Rss(center.Pid, "VmHWM:") / 1024.0, 0)}";
        var size = postgres is null
            ? Directory.EnumerateFiles(center.Data.Path, "center.db*").Sum(f => new FileInfo(f).Length)
            : await postgres.DatabaseSizeAsync("hyperion_bench");
        values["database size: MiB"] = F(size / 1024.0 / 1024.0, 1);

        // Leave the hosts as they were for the next database: delete what this run created (tasks too).
        await Parallel.ForEachAsync(created, new ParallelOptions { MaxDegreeOfParallelism = CreateConcurrency }, async (task, _) =>
        {
            var vm = System.Text.Json.JsonSerializer.Deserialize<CenterVmDto>(task.Result!.Value.GetRawText(), Hyperion.Contracts.JsonDefaults.Options)!;
            await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"), TimeSpan.FromMinutes(5));
        });
        await output.WriteLineAsync($"[{database}] done");
        return values;
    }

    private static async Task<HostApi> SessionAsync(CenterProcess center, string user, string password)
    {
        using var basic = center.Client(user, password);
        var session = (await basic.SendAsync(HttpMethod.Post, "/api/session")).As<SessionDto>(HttpStatusCode.Created);
        return center.BearerClient(session.Token);
    }

    private static async Task<PageDto<CenterVmDto>> PageAsync(HostApi api, string query, string? cursor) =>
        (await api.SendAsync(HttpMethod.Get, cursor is null ? $"/api/vms?{query}" : $"/api/vms?{query}&cursor={Uri.EscapeDataString(cursor)}")).As<PageDto<CenterVmDto>>();

    private static async Task<List<double>> TimeAsync(int samples, Func<Task> call)
    {
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>p50 / p99 (nearest rank) / max.</summary>
    private static string Percentiles(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return $"{F(At(0.50), 1)} / {F(At(0.99), 1)} / {F(sorted[^1], 1)}";
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static long Rss(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static async Task PrintAsync(BenchOptions options, List<(string Database, Dictionary<string, string> Values)> results, TextWriter output)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"SIMULATED hypervisor backend — {options.Hosts} hosts, {options.Vms} seeded VMs, {Environment.ProcessorCount} cores, host monitor every {options.MonitorIntervalSeconds} s; latencies p50 / p99 / max over {options.Samples} requests (whole list: {Math.Max(5, options.Samples / 5)} walks)");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"| measure | {string.Join(" | ", results.Select(r => r.Database == "postgres" ? "PostgreSQL" : "SQLite"))} |");
        await output.WriteLineAsync($"|---|{string.Concat(results.Select(_ => "---:|"))}");
        foreach (var measure in results[0].Values.Keys)
        {
            await output.WriteLineAsync($"| {measure} | {string.Join(" | ", results.Select(r => r.Values.GetValueOrDefault(measure, "n/a")))} |");
        }

        await output.WriteLineAsync();
        foreach (var (database, values) in results)
        {
            var p99 = double.Parse(values["VM list, page at random depth, limit=100: ms"].Split(" / ")[1], CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"goal (paged VM list p99 < 50 ms at {options.Vms} VMs) on {database}: {(p99 < 50 ? "met" : "MISSED")} ({F(p99, 1)} ms)");
        }

        await output.WriteLineAsync($"bench process (the {options.Hosts} in-process SIMULATED agents): RSS {F(Environment.WorkingSet / 1024.0 / 1024.0, 0)} MiB, GC heap {F(GC.GetTotalMemory(false) / 1024.0 / 1024.0, 0)} MiB");
    }
}
