namespace Hyperion.Center.Metrics;

/// <summary>The API names (<c>realtime</c>, <c>5m</c>, <c>1h</c>) and widths of the <see cref="MetricLevel"/>s.</summary>
public static class MetricLevels
{
    public const string RealtimeName = "realtime";
    public const string FiveMinutesName = "5m";
    public const string OneHourName = "1h";

    public static IReadOnlyList<string> Names { get; } = [RealtimeName, FiveMinutesName, OneHourName];

    public static bool TryParse(string? name, out MetricLevel level)
    {
        (var found, level) = name switch
        {
            null or "" or RealtimeName => (true, MetricLevel.Realtime),
            FiveMinutesName => (true, MetricLevel.FiveMinutes),
            OneHourName => (true, MetricLevel.OneHour),
            _ => (false, MetricLevel.Realtime),
        };
        return found;
    }

    public static string Name(MetricLevel level) => level switch
    {
        MetricLevel.Realtime => RealtimeName,
        MetricLevel.FiveMinutes => FiveMinutesName,
        MetricLevel.OneHour => OneHourName,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The interval one rollup value covers; null for realtime (its interval is the hosts').</summary>
    public static TimeSpan? Width(MetricLevel level) => level switch
    {
        MetricLevel.Realtime => null,
        MetricLevel.FiveMinutes => TimeSpan.FromMinutes(5),
        MetricLevel.OneHour => TimeSpan.FromHours(1),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
