using Hyperion.Contracts.Metrics;
using Hyperion.Host.Metrics;

namespace Hyperion.Host.Tests.Metrics;

public sealed class MetricsRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Since_Cursor_OnlyStrictlyNewerTicksWithTheirValues()
    {
        var ring = new MetricsRing(TimeSpan.FromHours(1));
        ring.Add(T0, [("host", Values(1))]);
        ring.Add(T0.AddSeconds(20), [("host", Values(2)), ("vm-1", new Dictionary<string, double> { [MetricCounters.MemConsumed] = 5 })]);

        var all = ring.Since(null);
        var newer = ring.Since(T0);

        Assert.Equal(3, all.Count);
        Assert.Equal([T0.AddSeconds(20), T0.AddSeconds(20)], newer.Select(s => s.Time));
        Assert.Equal(2, newer[0].Values[MetricCounters.CpuUsage]);
        Assert.Equal(new Dictionary<string, double> { [MetricCounters.MemConsumed] = 5 }, newer[1].Values);
        Assert.Empty(ring.Since(T0.AddSeconds(20)));
    }

    [Fact]
    public void Add_OlderThanRetention_Forgotten()
    {
        var ring = new MetricsRing(TimeSpan.FromHours(1));
        for (var i = 0; i <= 181; i++)
        {
            ring.Add(T0.AddSeconds(20 * i), [("host", Values(i))]);
        }

        var kept = ring.Since(null);

        // 181 × 20 s = 1 h 20 s after T0: ticks at or before 20 s are more than an hour old.
        Assert.Equal(T0.AddSeconds(40), kept[0].Time);
        Assert.Equal(180, kept.Count);
        Assert.Equal(T0.AddSeconds(20 * 181), ring.Newest);
    }

    private static Dictionary<string, double> Values(double cpu) => new() { [MetricCounters.CpuUsage] = cpu };
}
