namespace Hyperion.Center.Metrics;

/// <summary>How finely a stored metric value is sampled (stored as its number).</summary>
public enum MetricLevel
{
    /// <summary>The hosts' own samples (every 20 s by default), kept for an hour.</summary>
    Realtime = 0,

    /// <summary>5-minute averages (with min and max) of the realtime samples, kept for a day.</summary>
    FiveMinutes = 1,

    /// <summary>1-hour averages (with min and max) of the 5-minute values, kept for 30 days.</summary>
    OneHour = 2,
}
