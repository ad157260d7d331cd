using Hyperion.Center.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Metrics;

public sealed class MetricBucketsTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2026-11-23T10:07:31.5+00:00", "2026-11-23T10:05:00+00:00")]
    [InlineData("2026-11-23T10:05:00+00:00", "2026-11-23T10:05:00+00:00")]
    [InlineData("2026-11-23T11:04:59+01:00", "2026-11-23T10:00:00+00:00")]
    public void Start_AnyTime_AlignedToUtcEpoch(string time, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), MetricBuckets.Start(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), FiveMinutes));

    [Fact]
    public void Complete_BucketNotEnded_NotIncluded()
    {
        _time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));

        var buckets = MetricBuckets.Complete(_time.GetUtcNow(), FiveMinutes, TimeSpan.FromHours(1));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 55, 0, TimeSpan.Zero), buckets[^1]);
    }

    [Fact]
    public void Complete_TimeAdvances_EndedBucketsWithinSourceRetention()
    {
        _time.Advance(TimeSpan.FromMinutes(17));
        var now = _time.GetUtcNow();

        var buckets = MetricBuckets.Complete(now, FiveMinutes, TimeSpan.FromHours(1));

        // Source kept from 09:17: the 09:15 bucket is partly pruned, 10:15 has not ended.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 20, 0, TimeSpan.Zero), buckets[0]);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 10, 0, TimeSpan.Zero), buckets[^1]);
        Assert.Equal(11, buckets.Count);
        Assert.All(buckets, b => Assert.True(b + FiveMinutes <= now && b >= now - TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Complete_OnBoundary_BucketJustEndedIncluded()
    {
        _time.Advance(TimeSpan.FromHours(1));

        var buckets = MetricBuckets.Complete(_time.GetUtcNow(), TimeSpan.FromHours(1), TimeSpan.FromDays(1));

        Assert.Equal(24, buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), buckets[^1]);
    }

    [Theory]
    [InlineData(null, 5, true)]
    [InlineData(5, 5, false)]
    [InlineData(5, 6, true)]
    [InlineData(6, 5, false)]
    public void ShouldStore_StoredAndComputedCounts_OnlyMoreSamplesReplace(int? storedCount, int computedCount, bool expected)
    {
        MetricAggregate? stored = storedCount is { } c ? new MetricAggregate(1, 0, 2, c) : null;

        Assert.Equal(expected, MetricBuckets.ShouldStore(stored, new MetricAggregate(3, 0, 9, computedCount)));
    }
}
