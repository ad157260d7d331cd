using System.Globalization;
using Hyperion.Center.Metrics;
using Hyperion.Contracts.Metrics;

namespace Hyperion.Web.Live;

/// <summary>A time range of the performance charts, with the metrics interval that covers it.</summary>
/// <param name="Interval">The Center's metrics level: <c>realtime</c>, <c>5m</c> or <c>1h</c>.</param>
/// <param name="Refresh">How often the charts reload while shown; null when the range's values change too slowly to bother.</param>
public sealed record PerformanceRange(string Key, string Label, string Interval, TimeSpan Span, TimeSpan? Refresh, string Description)
{
    public static PerformanceRange Realtime { get; } = new("realtime", "Real-time", MetricLevels.RealtimeName, TimeSpan.FromHours(1), TimeSpan.FromSeconds(20), "last hour, the hosts' own samples");
    public static PerformanceRange Day { get; } = new("day", "Last day", MetricLevels.FiveMinutesName, TimeSpan.FromDays(1), TimeSpan.FromMinutes(1), "5-minute averages");
    public static PerformanceRange Week { get; } = new("week", "Last week", MetricLevels.OneHourName, TimeSpan.FromDays(7), null, "1-hour averages");
    public static PerformanceRange Month { get; } = new("month", "Last month", MetricLevels.OneHourName, TimeSpan.FromDays(30), null, "1-hour averages");

    public static IReadOnlyList<PerformanceRange> All { get; } = [Realtime, Day, Week, Month];

    public static PerformanceRange Find(string? key) => All.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal)) ?? Realtime;
}

/// <summary>One chart: a title and the counters drawn on it (all of one unit).</summary>
public sealed record PerformanceChartSpec(string Key, string Title, IReadOnlyList<string> Counters, IReadOnlyList<string> Labels)
{
    /// <summary>The charts, vSphere's overview set: CPU, memory (share and amount), disk and network rates.</summary>
    public static IReadOnlyList<PerformanceChartSpec> All { get; } =
    [
        new("cpu", "CPU usage", [MetricCounters.CpuUsage], ["Usage"]),
        new("mem", "Memory usage", [MetricCounters.MemUsage], ["Usage"]),
        new("mem-consumed", "Memory consumed", [MetricCounters.MemConsumed], ["Consumed"]),
        new("disk", "Disk rate", [MetricCounters.DiskRead, MetricCounters.DiskWrite], ["Read", "Write"]),
        new("net", "Network rate", [MetricCounters.NetReceived, MetricCounters.NetTransmitted], ["Received", "Transmitted"]),
    ];

    /// <summary>The canvas's <c>data-counter</c>: its counters, space-separated (select one with <c>[data-counter~=cpu.usage]</c>).</summary>
    public string CounterAttribute => string.Join(' ', Counters);
}

/// <summary>One line of a chart as charts.js takes it: points are [time in ms since the epoch, value].</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double[]> Points);

/// <summary>A chart ready to draw: the unit its values were scaled to, its lines, and the latest value for the caption.</summary>
public sealed record ChartData(PerformanceChartSpec Spec, string Unit, IReadOnlyList<ChartSeries> Series, string? Latest)
{
    public int PointCount => Series.Sum(s => s.Points.Count);
}

/// <summary>Turns the Center's metric series into charts: picks each chart's series and scales bytes to a readable unit.</summary>
public static class PerformanceModel
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static IReadOnlyList<ChartData> Charts(MetricsQueryResultDto result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var byCounter = result.Series.ToDictionary(s => s.Counter, StringComparer.Ordinal);
        return PerformanceChartSpec.All.Select(spec => Chart(spec, byCounter)).ToList();
    }

    private static ChartData Chart(PerformanceChartSpec spec, Dictionary<string, MetricSeriesDto> byCounter)
    {
        var series = spec.Counters.Select(c => byCounter.GetValueOrDefault(c)).ToList();
        var unit = spec.Counters.Select(c => MetricCounters.Find(c)?.Unit).FirstOrDefault() ?? "";
        var max = series.SelectMany(s => s?.Points ?? []).Select(p => p.Value).DefaultIfEmpty(0).Max();
        var (divisor, label) = Scale(unit, max);
        var lines = series.Select((s, i) => new ChartSeries(
            spec.Labels[i],
            (s?.Points ?? []).Select(p => new[] { (double)p.Time.ToUnixTimeMilliseconds(), Math.Round(p.Value / divisor, 3) }).ToList())).ToList();
        var latest = lines.Any(l => l.Points.Count > 0)
            ? string.Join(", ", lines.Where(l => l.Points.Count > 0).Select(l => string.Create(CultureInfo.InvariantCulture, $"{(lines.Count > 1 ? l.Label + " " : "")}{l.Points[^1][1]:0.##} {label}")))
            : null;
        return new ChartData(spec, label, lines, latest);
    }

    /// <summary>The divisor and label that bring values up to <paramref name="max"/> into a readable range.</summary>
    public static (double Divisor, string Label) Scale(string unit, double max)
    {
        if (unit == MetricCounters.Percent)
        {
            return (1, "%");
        }

        var step = 0;
        var divisor = 1d;
        while (max / divisor >= 1024 && step < ByteUnits.Length - 1)
        {
            divisor *= 1024;
            step++;
        }

        return unit == MetricCounters.BytesPerSecond ? (divisor, ByteUnits[step] + "/s") : (divisor, ByteUnits[step]);
    }
}
