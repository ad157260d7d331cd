using System.Diagnostics;
using System.Globalization;
using System.Net;
using Hyperion.Bench.Center;
using Hyperion.Contracts.Center;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Bench.Web;

/// <summary>
/// Time to interactive of the web client with 10,000 VMs: one real Center (out of process) managing N SIMULATED hosts
/// (the Center scale benchmark's estate, in this process), Chromium driven by Playwright. For each page: a warm-up load,
/// then <see cref="WebBenchOptions.Runs"/> measured loads, each in a new tab (a new document and a new Blazor circuit).
/// </summary>
internal static class WebTtiBenchmark
{
    private const int HostsPerCluster = 25;
    private const double GoalMs = 2000;
    private const int BaselineSamples = 20;

    public static async Task<int> RunAsync(WebBenchOptions options, TextWriter output)
    {
        await output.WriteLineAsync($"Web client benchmark — SIMULATED hypervisor: {options.Hosts} host agents (in this process), {options.Vms} VMs; {options.Runs} runs per page");
        var loadBefore = LoadAverage();
        await using var estate = await SimulatedEstate.StartAsync(options.Hosts, options.Vms, output);
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", options.MonitorIntervalSeconds.ToString(CultureInfo.InvariantCulture));
        await output.WriteLineAsync($"Center started (pid {center.Pid}) at {center.BaseAddress}");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var inventory = await BuildInventoryAsync(admin, estate, output);

        var baseline = await TimeAsync(BaselineSamples, async () => (await admin.SendAsync(HttpMethod.Get, "/api/vms?limit=100")).As<PageDto<CenterVmDto>>());

        var hostPrefix = string.Create(CultureInfo.InvariantCulture, $"sim-{estate.Hosts[0].Index:D3}-");
        PageScenario[] scenarios =
        [
            new($"datacenter VMs tab ({options.Vms} VMs)", $"/ui/inventory/{inventory.Datacenter}?tab=vms", PageScenario.GridRows, PageScenario.GridFirstLink),
            new($"cluster VMs tab ({inventory.ClusterVms} VMs)", $"/ui/inventory/{inventory.Cluster}?tab=vms", PageScenario.GridRows, PageScenario.GridFirstLink),
            new("home page", "/ui", PageScenario.HomeRows, PageScenario.TreeFirstObject),
            // A VM's page opens the tree down to it: its host is expanded, with the host's VMs.
            new($"tree expanded at a host ({estate.Hosts[0].SeededVms} VMs)", $"/ui/inventory/{inventory.FirstHostVm}", PageScenario.TreeRows(hostPrefix), PageScenario.TreeOtherVm(hostPrefix)),
        ];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = center.BaseAddress.ToString().TrimEnd('/'),
        });
        context.SetDefaultTimeout(60_000);
        await LoginAsync(context);
        await context.AddInitScriptAsync(PageScenario.CircuitProbeScript);

        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            results.Add(await MeasureAsync(context, scenario, options.Runs, output));
        }

        await PrintAsync(options, results, baseline, output);
        await output.WriteLineAsync($"machine load average (1/5/15 min) at start: {loadBefore}; at end: {LoadAverage()} ({Environment.ProcessorCount} cores, shared with the Center, Chromium and the {options.Hosts} SIMULATED agents)");
        var measured = results.Where(r => r.Failure is null).ToList();
        await output.WriteLineAsync(measured.Count == 0
            ? $"tti_ms_median=n/a tti_ms_max=n/a dom_rows=n/a goal_ms={GoalMs:F0}"
            : $"tti_ms_median={F(measured.Max(r => Median(r.TtiMs)), 0)} tti_ms_max={F(measured.Max(r => r.TtiMs.Max()), 0)} dom_rows={measured.Max(r => r.DomRows.Max())} goal_ms={GoalMs:F0}");
        return measured.Count == results.Count ? 0 : 1;
    }

    private sealed record Inventory(string Datacenter, string Cluster, long ClusterVms, string FirstHostVm);

    /// <param name="TtiMs">Navigation start → list rendered and circuit up, per run.</param>
    /// <param name="ListRows">The list's rows in the DOM when it became interactive.</param>
    /// <param name="DomRows">Every row element in the document (tables, grids, tree items) at that moment.</param>
    /// <param name="ClickMs">Click on the first row's name → the URL changed, per run.</param>
    /// <param name="HtmlMs">Navigation start → the prerendered HTML received (the server's part), per run.</param>
    /// <param name="CircuitMs">Navigation start → the Blazor circuit up, per run.</param>
    private sealed record ScenarioResult(PageScenario Scenario, List<double> TtiMs, List<double> HtmlMs, List<double> CircuitMs, List<int> ListRows, List<int> DomRows, List<double> ClickMs, string? Failure);

    private static async Task<Inventory> BuildInventoryAsync(HostApi admin, SimulatedEstate estate, TextWriter output)
    {
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("bench"))).As<DatacenterDto>(HttpStatusCode.Created);
        var clusters = new List<ClusterDto>();
        for (var c = 0; c < (estate.Hosts.Count + HostsPerCluster - 1) / HostsPerCluster; c++)
        {
            clusters.Add((await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest($"cluster-{c}", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created));
        }

        // Each add is a task that imports the host's VMs in its transaction; a few at a time, as the scale benchmark does.
        var adding = Stopwatch.StartNew();
        var hostIds = new string[estate.Hosts.Count];
        await Parallel.ForEachAsync(estate.Hosts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (host, _) =>
        {
            var request = new HostAddRequest(host.Address, "root", SimulatedEstate.RootPassword, host.Fingerprint, clusters[host.Index / HostsPerCluster].Id, datacenter.Id);
            hostIds[host.Index] = (await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts", request), TimeSpan.FromMinutes(5))).Id;
        });
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/vms?limit=1")).As<PageDto<CenterVmDto>>().Total;
        await output.WriteLineAsync($"{estate.Hosts.Count} SIMULATED hosts added in {clusters.Count} clusters, {total} VMs in the Center ({adding.Elapsed.TotalSeconds:F1} s)");
        var clusterVms = estate.Hosts.Where(h => h.Index / HostsPerCluster == 0).Sum(h => h.SeededVms);
        var firstVm = (await admin.SendAsync(HttpMethod.Get, $"/api/vms?limit=1&host={hostIds[0]}")).As<PageDto<CenterVmDto>>().Items[0];
        return new Inventory(datacenter.Id, clusters[0].Id, clusterVms, firstVm.Id);
    }

    private static async Task LoginAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui");
        await page.FillAsync("#username", CenterProcess.AdminUser);
        await page.FillAsync("#password", CenterProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#current-user");
        await page.CloseAsync();
    }

    private static async Task<ScenarioResult> MeasureAsync(IBrowserContext context, PageScenario scenario, int runs, TextWriter output)
    {
        var result = new ScenarioResult(scenario, [], [], [], [], [], [], null);
        try
        {
            // One warm-up load (JIT, first queries, browser cache of the static assets), then the measured ones.
            for (var run = 0; run <= runs; run++)
            {
                var page = await context.NewPageAsync();
                try
                {
                    var response = await page.GotoAsync(scenario.Path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                    if (response is null || !response.Ok)
                    {
                        throw new InvalidOperationException($"GET {scenario.Path} answered {response?.Status.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
                    }

                    if (page.Url.Contains("/ui/login", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("the session was not accepted (redirected to the login page)");
                    }

                    var ready = await page.WaitForFunctionAsync(scenario.ReadyScript, null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                    var tti = await ready.JsonValueAsync<double>();
                    var listRows = await page.EvaluateAsync<int>($"() => {scenario.RowsScript}");
                    var domRows = await page.EvaluateAsync<int>(PageScenario.AllRowsScript);

                    var before = page.Url;
                    var link = scenario.FirstLink(page);
                    var click = Stopwatch.StartNew();
                    await link.ClickAsync(new LocatorClickOptions { Timeout = 30_000 });
                    await page.WaitForURLAsync(url => !string.Equals(url, before, StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
                    click.Stop();
                    if (run > 0)
                    {
                        result.TtiMs.Add(tti);
                        result.HtmlMs.Add(await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].responseEnd"));
                        result.CircuitMs.Add(await page.EvaluateAsync<double>("() => window.__benchCircuitAt ?? -1"));
                        result.ListRows.Add(listRows);
                        result.DomRows.Add(domRows);
                        result.ClickMs.Add(click.Elapsed.TotalMilliseconds);
                    }
                }
                finally
                {
                    await page.CloseAsync();
                }
            }

            await output.WriteLineAsync($"{scenario.Name}: median {F(Median(result.TtiMs), 0)} ms");
            return result;
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
        {
            var failure = $"{scenario.Path}: {ex.Message.Split('\n')[0]}";
            await output.WriteLineAsync($"{scenario.Name}: NOT MEASURED — {failure}");
            return result with { Failure = failure };
        }
    }

    private static async Task<List<double>> TimeAsync(int samples, Func<Task> call)
    {
        await call();
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static async Task PrintAsync(WebBenchOptions options, List<ScenarioResult> results, List<double> baseline, TextWriter output)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"SIMULATED hypervisor backend — {options.Hosts} hosts, {options.Vms} VMs, {Environment.ProcessorCount} cores; Chromium headless 1280×800; {options.Runs} runs per page after a warm-up");
        await output.WriteLineAsync("time to interactive = navigation start → the list's rows rendered and the Blazor circuit up; click = first row's name → URL changed");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| page | TTI median ms | TTI p90 ms | TTI max ms | HTML received median ms | circuit up median ms | list rows in DOM | all rows in DOM | click → navigate median ms | goal < 2000 ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            if (r.Failure is not null)
            {
                await output.WriteLineAsync($"| {r.Scenario.Name} | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a | NOT MEASURED: {r.Failure} |");
                continue;
            }

            var median = Median(r.TtiMs);
            await output.WriteLineAsync(
                $"| {r.Scenario.Name} | {F(median, 0)} | {F(Percentile(r.TtiMs, 0.9), 0)} | {F(r.TtiMs.Max(), 0)} | {F(Median(r.HtmlMs), 0)} | {F(Median(r.CircuitMs), 0)} | {r.ListRows.Max()} | {r.DomRows.Max()} | {F(Median(r.ClickMs), 0)} | {(median < GoalMs ? "met" : "MISSED")} |");
        }

        await output.WriteLineAsync($"| baseline: GET /api/vms?limit=100 (raw API, {BaselineSamples} requests) | {F(Median(baseline), 1)} | {F(Percentile(baseline, 0.9), 1)} | {F(baseline.Max(), 1)} | | | | | | |");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"virtualization: at most {results.Where(r => r.Failure is null).Select(r => r.DomRows.Max()).DefaultIfEmpty(0).Max()} row elements in the DOM for {options.Vms} VMs");
        await output.WriteLineAsync("tti_ms_median below is the slowest page's median; tti_ms_max the slowest load of all; dom_rows the most row elements seen in the DOM");
    }

    private static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest rank.</summary>
    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
