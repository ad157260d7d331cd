namespace Hyperion.Center.Metrics;

/// <summary>How the Center collects, rolls up and keeps performance metrics.</summary>
public sealed record MetricsOptions
{
    /// <summary>How often the Center fetches new samples from every connected host. Default 20 s.</summary>
    public TimeSpan CollectInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often 5-minute and 1-hour rollups are computed and old values pruned. Default 1 minute.</summary>
    public TimeSpan RollupInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long realtime samples are kept. Default 1 hour (the host agents keep the same, so a Center that was down for less catches up).</summary>
    public TimeSpan RealtimeRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long 5-minute values are kept. Default 1 day.</summary>
    public TimeSpan FiveMinuteRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long 1-hour values are kept. Default 30 days.</summary>
    public TimeSpan OneHourRetention { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan Retention(MetricLevel level) => level switch
    {
        MetricLevel.Realtime => RealtimeRetention,
        MetricLevel.FiveMinutes => FiveMinuteRetention,
        MetricLevel.OneHour => OneHourRetention,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <exception cref="InvalidOperationException">An interval is not positive, or a level is kept for less than one of its intervals.</exception>
    public void Validate()
    {
        if (CollectInterval <= TimeSpan.Zero || RollupInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("the metrics collect and rollup intervals must be positive");
        }

        if (RealtimeRetention < TimeSpan.FromMinutes(5) || FiveMinuteRetention < TimeSpan.FromHours(1) || OneHourRetention < TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("metrics retention must cover at least one interval of the next level (realtime 5 min, 5-minute values 1 h, 1-hour values 1 h)");
        }
    }
}
