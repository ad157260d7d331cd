using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Security;
using Hyperion.Contracts.Metrics;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Metrics;

/// <summary>Reads stored performance metrics for the API; the caller needs System.View on the object.</summary>
public sealed class MetricsService(CenterDbContext db, AccessControl access, MetricsOptions options, TimeProvider time)
{
    /// <param name="objectId">An inventory id (<c>host-N</c>, <c>vm-N</c>).</param>
    /// <param name="counter">One counter, or null for every counter stored for the object.</param>
    /// <param name="interval"><c>realtime</c> (default), <c>5m</c> or <c>1h</c>.</param>
    /// <param name="from">Default: <paramref name="to"/> minus the interval's retention.</param>
    /// <param name="to">Default: now.</param>
    public async Task<MetricsQueryResultDto> QueryAsync(
        AuthenticatedUser actor,
        string? objectId,
        string? counter,
        string? interval,
        DateTimeOffset? from,
        DateTimeOffset? to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrEmpty(objectId))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "object is required (an inventory id such as host-12 or vm-42)", "object"));
        }

        if (!InventoryId.TryParse(objectId, out var id) || (await InventoryAncestry.GetAsync(db, id, cancellationToken)).Count == 0)
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no inventory object '{objectId}'", "object"));
        }

        await access.RequireAsync(actor.Name, id, Privileges.SystemView, cancellationToken);
        if (!MetricLevels.TryParse(interval, out var level))
        {
            throw new DomainException(new DomainError(ErrorCodes.MetricsInvalidInterval, $"interval '{interval}' is not one of {string.Join(", ", MetricLevels.Names)}", "interval"));
        }

        MetricCounterDto? wanted = null;
        if (!string.IsNullOrEmpty(counter))
        {
            wanted = MetricCounters.Find(counter)
                ?? throw new DomainException(new DomainError(ErrorCodes.MetricsUnknownCounter, $"no counter '{counter}' (GET /api/metrics/counters lists them)", "counter"));
        }

        var end = (to ?? time.GetUtcNow()).ToUniversalTime();
        var start = (from ?? end - options.Retention(level)).ToUniversalTime();
        if (start > end)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "from is after to", "from"));
        }

        var query = db.MetricSamples.AsNoTracking().Where(m => m.ObjectId == id && m.Level == level && m.Time >= start && m.Time <= end);
        if (wanted is not null)
        {
            query = query.Where(m => m.Counter == wanted.Name);
        }

        var rows = await query.OrderBy(m => m.Counter).ThenBy(m => m.Time).ToListAsync(cancellationToken);
        var series = rows
            .GroupBy(m => m.Counter, StringComparer.Ordinal)
            .Select(g => new MetricSeriesDto(
                g.Key,
                MetricCounters.Find(g.Key)?.Unit ?? string.Empty,
                g.Select(m => level == MetricLevel.Realtime ? new MetricPointDto(m.Time, m.Value) : new MetricPointDto(m.Time, m.Value, m.Min, m.Max)).ToList()))
            .ToList();
        if (wanted is not null && series.Count == 0)
        {
            // A chart still learns the unit of a counter with no values yet.
            series.Add(new MetricSeriesDto(wanted.Name, wanted.Unit, []));
        }

        return new MetricsQueryResultDto(id.Value, MetricLevels.Name(level), start, end, series);
    }
}
