namespace Hyperion.Center.Metrics;

/// <summary>
/// The rollup rules, pure. Intervals ("buckets") are aligned to the Unix epoch in UTC, so every Center computes the
/// same ones. A bucket is rolled up once it has ended, and recomputed on every pass while its source samples are
/// all still kept; its stored value is replaced only by one computed from more samples (late samples arrived), never
/// by one computed from fewer (the source is being pruned). Everything is derived from the stored rows, so passes
/// are idempotent and a restarted Center simply carries on.
/// </summary>
public static class MetricBuckets
{
    /// <summary>The start of the <paramref name="width"/>-wide bucket holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Start(DateTimeOffset time, TimeSpan width)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % width.Ticks), TimeSpan.Zero);
    }

    /// <summary>
    /// The starts, oldest first, of the buckets to compute at <paramref name="now"/>: ended (start + width ≤ now)
    /// and starting no earlier than <paramref name="sourceRetention"/> ago, so none is computed from a partly pruned source.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Complete(DateTimeOffset now, TimeSpan width, TimeSpan sourceRetention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, TimeSpan.Zero);
        var oldest = now - sourceRetention;
        var first = Start(oldest, width);
        if (first < oldest)
        {
            first += width;
        }

        var result = new List<DateTimeOffset>();
        for (var start = first; start + width <= now; start += width)
        {
            result.Add(start);
        }

        return result;
    }

    /// <summary>Whether <paramref name="computed"/> should replace what is stored: only when nothing is, or it stands for more samples.</summary>
    public static bool ShouldStore(MetricAggregate? stored, MetricAggregate computed) => stored is not { } existing || computed.Count > existing.Count;
}
