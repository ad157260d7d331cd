using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Metrics;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Performance metrics end to end: a real agent samples itself and a real tiny guest (TCG, dirtying memory) every
/// second; a real Center collects every second and serves the series.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Metrics_TinyGuestOnAgentAddedToCenter_RealtimeSeriesServed()
    {
        // Both processes start at once: each takes seconds.
        var (agentProcess, centerProcess) = await StartBothAsync();
        await using var agent = agentProcess;
        await using var center = centerProcess;
        await agent.Api.CreateTinyAsync("busy", "hyperion.dirty=16");
        var local = await agent.Api.PowerOkAsync("busy", "power-on");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("dc-metrics"))).As<DatacenterDto>(HttpStatusCode.Created);
        var hostId = await AddHostAsync(admin, agent, datacenter.Id);
        var vmId = await Eventually.GetAsync(() => FindVmAsync(admin, local.Id), id => id is not null, Timeout, "the Center to import the VM");

        // The agent serves its own samples: the host's and the VM's, newest after the cursor only.
        var own = (await agent.Api.SendAsync(HttpMethod.Get, "/api/metrics")).As<HostMetricsDto>();
        var cursor = own.Samples[^1].Time;
        var newer = (await agent.Api.SendAsync(HttpMethod.Get, $"/api/metrics?since={Uri.EscapeDataString(cursor.ToString("O", System.Globalization.CultureInfo.InvariantCulture))}")).As<HostMetricsDto>();
        Assert.Equal((1.0, false), (own.IntervalSeconds, own.Simulated));
        Assert.Contains(own.Samples, s => s.Entity == "host");
        Assert.Contains(own.Samples, s => s.Entity == local.Id);
        Assert.All(newer.Samples, s => Assert.True(s.Time > cursor));

        var cpu = await Eventually.GetAsync(
            () => SeriesAsync(admin, $"object={vmId}&counter=cpu.usage&interval=realtime"),
            r => r.Series.Count == 1 && r.Series[0].Points.Count >= 3 && r.Series[0].Points.Any(p => p.Value > 0),
            Timeout,
            $"the Center to store three realtime cpu.usage samples of {vmId}, one above 0");
        var points = cpu.Series[0].Points;
        Assert.Equal(MetricCounters.Percent, cpu.Series[0].Unit);
        Assert.All(points.Zip(points.Skip(1)), pair => Assert.True(pair.Second.Time > pair.First.Time, $"{pair.First.Time:O} then {pair.Second.Time:O}"));
        Assert.All(points, p => Assert.InRange(p.Value, 0, 100));

        var vm = await SeriesAsync(admin, $"object={vmId}");
        var consumed = vm.Series.Single(s => s.Counter == MetricCounters.MemConsumed).Points;
        Assert.All(consumed, p => Assert.InRange(p.Value, 16 * 1024 * 1024, 1024L * 1024 * 1024));
        Assert.Contains(vm.Series, s => s.Counter == MetricCounters.DiskRead);

        var host = await SeriesAsync(admin, $"object={hostId}&interval=realtime");
        Assert.Equal(MetricCounters.All.Select(c => c.Name).Order(StringComparer.Ordinal), host.Series.Select(s => s.Counter).Order(StringComparer.Ordinal));
        Assert.All(host.Series, s => Assert.NotEmpty(s.Points));
        Assert.All(host.Series.Single(s => s.Counter == MetricCounters.MemUsage).Points, p => Assert.InRange(p.Value, 0.1, 100));

        var counters = (await admin.SendAsync(HttpMethod.Get, "/api/metrics/counters")).As<List<MetricCounterDto>>();
        var badInterval = await admin.SendAsync(HttpMethod.Get, $"/api/metrics?object={vmId}&interval=2m");
        var unknownObject = await admin.SendAsync(HttpMethod.Get, "/api/metrics?object=vm-999999&counter=cpu.usage");
        Assert.Equal(MetricCounters.All, counters);
        Assert.Equal((HttpStatusCode.BadRequest, "metrics.invalid-interval"), (badInterval.Status, badInterval.Problem().Code));
        Assert.Equal((HttpStatusCode.NotFound, "inventory.not-found"), (unknownObject.Status, unknownObject.Problem().Code));
    }

    /// <summary>Starts an agent and a Center concurrently; if either fails, the other is stopped too.</summary>
    private static async Task<(HostAgentProcess Agent, CenterProcess Center)> StartBothAsync()
    {
        var agent = HostAgentProcess.StartAsync("tcg", "--metrics-interval", "1");
        var center = CenterProcess.StartAsync("--host-monitor-interval", "1", "--metrics-interval", "1");
        try
        {
            await Task.WhenAll(agent, center);
            return (agent.Result, center.Result);
        }
        catch
        {
            if (agent.IsCompletedSuccessfully)
            {
                await agent.Result.DisposeAsync();
            }

            if (center.IsCompletedSuccessfully)
            {
                await center.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<MetricsQueryResultDto> SeriesAsync(HostApi admin, string query) =>
        (await admin.SendAsync(HttpMethod.Get, $"/api/metrics?{query}")).As<MetricsQueryResultDto>();

    /// <summary>Adds the host, whether the Center answers 201 with the host or 202 with a task; returns its id.</summary>
    private static async Task<string> AddHostAsync(HostApi admin, HostAgentProcess agent, string datacenterId)
    {
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);
        var added = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, null, datacenterId));
        return added.Status == HttpStatusCode.Accepted
            ? (await admin.SucceedsAsync<HostDto>(added)).Id
            : added.As<HostDto>(HttpStatusCode.Created).Id;
    }

    /// <summary>The Center's id of the VM with host-local id <paramref name="localId"/> (the VM list is a page or a plain array).</summary>
    private static async Task<string?> FindVmAsync(HostApi admin, string localId)
    {
        var body = (await admin.SendAsync(HttpMethod.Get, "/api/vms")).Body;
        using var document = JsonDocument.Parse(body);
        var items = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement : document.RootElement.GetProperty("items");
        return items.Deserialize<List<CenterVmDto>>(JsonDefaults.Options)!.FirstOrDefault(v => v.HostLocalId == localId)?.Id;
    }
}
