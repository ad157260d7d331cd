using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Metrics;

/// <summary>
/// Every <see cref="MetricsOptions.RollupInterval"/>: computes 5-minute values from realtime samples and 1-hour
/// values from 5-minute ones (<see cref="MetricBuckets"/> says which intervals and when a stored value is replaced),
/// then deletes what is older than each level's retention. All state is in the database.
/// </summary>
public sealed partial class MetricsRollup(
    IDbContextFactory<CenterDbContext> factory,
    MetricsOptions options,
    TimeProvider time,
    ILogger<MetricsRollup> logger) : PeriodicBackgroundService(options.RollupInterval, time, logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>One pass; idempotent, and serialized with other passes.</summary>
    /// <returns>How many rollup values were written and how many stored values were pruned.</returns>
    public async Task<(int Written, int Pruned)> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = Time.GetUtcNow();
            var written = await RollUpAsync(MetricLevel.Realtime, MetricLevel.FiveMinutes, now, cancellationToken);
            written += await RollUpAsync(MetricLevel.FiveMinutes, MetricLevel.OneHour, now, cancellationToken);
            var pruned = 0;
            await using var db = factory.CreateDbContext();
            foreach (var level in Enum.GetValues<MetricLevel>())
            {
                var cutoff = now - options.Retention(level);
                pruned += await db.MetricSamples.Where(m => m.Level == level && m.Time < cutoff).ExecuteDeleteAsync(cancellationToken);
            }

            if (written + pruned > 0)
            {
                LogPass(Logger, written, pruned);
            }

            return (written, pruned);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    private async Task<int> RollUpAsync(MetricLevel source, MetricLevel target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var width = MetricLevels.Width(target) ?? throw new ArgumentOutOfRangeException(nameof(target));
        var written = 0;
        foreach (var start in MetricBuckets.Complete(now, width, options.Retention(source)))
        {
            var end = start + width;
            await using var db = factory.CreateDbContext();

            // Realtime rows count 1 with no min/max; rollup rows carry theirs: one formula serves both levels.
            var computed = await db.MetricSamples.AsNoTracking()
                .Where(m => m.Level == source && m.Time >= start && m.Time < end)
                .GroupBy(m => new { m.ObjectId, m.Counter })
                .Select(g => new
                {
                    g.Key.ObjectId,
                    g.Key.Counter,
                    Sum = g.Sum(m => m.Value * m.SampleCount),
                    Min = g.Min(m => m.Min ?? m.Value),
                    Max = g.Max(m => m.Max ?? m.Value),
                    Count = g.Sum(m => m.SampleCount),
                })
                .ToListAsync(cancellationToken);
            if (computed.Count == 0)
            {
                continue;
            }

            var stored = await db.MetricSamples
                .Where(m => m.Level == target && m.Time == start)
                .ToDictionaryAsync(m => (m.ObjectId, m.Counter), cancellationToken);
            foreach (var c in computed.Where(c => c.Count > 0))
            {
                var aggregate = new MetricAggregate(c.Sum / c.Count, c.Min, c.Max, c.Count);
                stored.TryGetValue((c.ObjectId, c.Counter), out var existing);
                var existingAggregate = existing is null ? (MetricAggregate?)null : new MetricAggregate(existing.Value, existing.Min ?? existing.Value, existing.Max ?? existing.Value, existing.SampleCount);
                if (!MetricBuckets.ShouldStore(existingAggregate, aggregate))
                {
                    continue;
                }

                if (existing is null)
                {
                    existing = new MetricSampleRecord { ObjectId = c.ObjectId, Counter = c.Counter, Level = target, Time = start };
                    db.MetricSamples.Add(existing);
                }

                existing.Value = aggregate.Average;
                existing.Min = aggregate.Min;
                existing.Max = aggregate.Max;
                existing.SampleCount = aggregate.Count;
                written++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return written;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "metrics rollup: {Written} value(s) written, {Pruned} pruned")]
    private static partial void LogPass(ILogger Logger, int written, int pruned);

}
