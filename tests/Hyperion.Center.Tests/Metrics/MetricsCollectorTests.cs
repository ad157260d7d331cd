using Hyperion.Center.Metrics;
using Hyperion.Contracts.Metrics;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Tests.Metrics;

public sealed class MetricsCollectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ToRecords_HostAndVmSamples_MappedToCenterIdsUnknownLeftOut()
    {
        var host = InventoryId.Parse("host-10");
        var vm = InventoryId.Parse("vm-42");
        MetricSampleDto[] samples =
        [
            new(T0, "host", new Dictionary<string, double> { [MetricCounters.CpuUsage] = 12.5, ["future.counter"] = 1 }),
            new(T0, "vm-3", new Dictionary<string, double> { [MetricCounters.MemConsumed] = 1024, [MetricCounters.CpuUsage] = double.NaN }),
            new(T0, "vm-9", new Dictionary<string, double> { [MetricCounters.CpuUsage] = 1 }),
        ];

        var records = MetricsCollector.ToRecords(host, samples, new Dictionary<string, InventoryId> { ["vm-3"] = vm });

        Assert.Equal(
            [$"host-10 {MetricCounters.CpuUsage} 12.5", $"vm-42 {MetricCounters.MemConsumed} 1024"],
            records.Select(r => $"{r.ObjectId} {r.Counter} {r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.All(records, r => Assert.Equal((MetricLevel.Realtime, T0, 1), (r.Level, r.Time, r.SampleCount)));
    }
}
