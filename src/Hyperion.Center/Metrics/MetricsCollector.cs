using System.Collections.Concurrent;
using Hyperion.Center.Hosts;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Metrics;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Hyperion.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Metrics;

/// <summary>
/// Every <see cref="MetricsOptions.CollectInterval"/> asks each connected host for the samples newer than the last
/// one stored for it (<c>GET /api/metrics?since=</c>) and stores them as realtime values of the host and of its VMs
/// (host-local VM ids mapped to the Center's through <see cref="VmRecord.HostLocalId"/>). The cursor is derived from
/// the database, so a restarted Center fetches what it missed (as much as the agents still keep: an hour).
/// </summary>
public sealed partial class MetricsCollector(
    IDbContextFactory<CenterDbContext> factory,
    HostConnections connections,
    HostCredentials credentials,
    MetricsOptions options,
    TimeProvider time,
    ILogger<MetricsCollector> logger) : PeriodicBackgroundService(options.CollectInterval, time, logger)
{
    private const string HostEntity = "host";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<InventoryId, DateTimeOffset> _cursors = new();

    /// <summary>One round over every connected host; idempotent, and serialized with other rounds.</summary>
    /// <returns>How many values were stored.</returns>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<HostRecord> hosts;
            await using (var db = factory.CreateDbContext())
            {
                hosts = await db.Hosts.AsNoTracking()
                    .Where(h => h.ConnectionState == HostConnectionState.Connected)
                    .ToListAsync(cancellationToken);
            }

            foreach (var gone in _cursors.Keys.Except(hosts.Select(h => h.Id)).ToList())
            {
                _cursors.TryRemove(gone, out _);
            }

            var stored = await Task.WhenAll(hosts.Select(h => CollectAsync(h, cancellationToken)));
            return stored.Sum();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The values of one batch of host samples as realtime rows: the <c>host</c> entity becomes
    /// <paramref name="hostId"/>, a host-local VM id its Center id; unknown VMs (not imported yet), unknown counters
    /// and non-finite values are left out.
    /// </summary>
    public static List<MetricSampleRecord> ToRecords(InventoryId hostId, IEnumerable<MetricSampleDto> samples, IReadOnlyDictionary<string, InventoryId> vmsByLocalId)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(vmsByLocalId);
        var records = new List<MetricSampleRecord>();
        foreach (var sample in samples)
        {
            InventoryId objectId;
            if (sample.Entity == HostEntity)
            {
                objectId = hostId;
            }
            else if (!vmsByLocalId.TryGetValue(sample.Entity, out objectId))
            {
                continue;
            }

            foreach (var (counter, value) in sample.Values)
            {
                if (MetricCounters.Find(counter) is not null && double.IsFinite(value))
                {
                    records.Add(new MetricSampleRecord
                    {
                        ObjectId = objectId,
                        Counter = counter,
                        Level = MetricLevel.Realtime,
                        Time = sample.Time.ToUniversalTime(),
                        Value = value,
                        SampleCount = 1,
                    });
                }
            }
        }

        return records;
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    private async Task<int> CollectAsync(HostRecord host, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = factory.CreateDbContext();
            DateTimeOffset? since = _cursors.TryGetValue(host.Id, out var cursor) ? cursor : await LastStoredAsync(db, host.Id, cancellationToken);
            HostMetricsDto metrics;
            try
            {
                metrics = await connections.Get(host.Id, credentials.For(host)).GetMetricsAsync(since, cancellationToken);
            }
            catch (DomainException ex)
            {
                // The host monitor reports unreachable hosts; the next round asks again from the same cursor.
                LogFetchFailed(Logger, host.Id.Value, ex.Message);
                return 0;
            }

            if (metrics.Samples.Count == 0)
            {
                return 0;
            }

            var vms = await db.Vms.AsNoTracking()
                .Where(v => v.HostId == host.Id && v.HostLocalId != null)
                .Select(v => new { v.Id, v.HostLocalId })
                .ToListAsync(cancellationToken);
            var vmsByLocalId = vms.ToDictionary(v => v.HostLocalId!.Value.Value, v => v.Id, StringComparer.Ordinal);
            var records = ToRecords(host.Id, metrics.Samples, vmsByLocalId);
            var newest = metrics.Samples.Max(s => s.Time);
            var stored = await StoreAsync(db, records, cancellationToken);
            _cursors[host.Id] = newest;
            return stored;
        }
        catch (DbUpdateException ex)
        {
            // Forget the cursor: the next round derives it from what is stored.
            _cursors.TryRemove(host.Id, out _);
            LogStoreFailed(Logger, host.Id.Value, ex);
            return 0;
        }
    }

    /// <summary>Inserts the rows; if some are stored already (a cursor older than the database), inserts only the others.</summary>
    private static async Task<int> StoreAsync(CenterDbContext db, List<MetricSampleRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        db.MetricSamples.AddRange(records);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return records.Count;
        }
        catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
        }

        var objects = records.Select(r => r.ObjectId).Distinct().ToList();
        var oldest = records.Min(r => r.Time);
        var existing = (await db.MetricSamples.AsNoTracking()
                .Where(m => objects.Contains(m.ObjectId) && m.Level == MetricLevel.Realtime && m.Time >= oldest)
                .Select(m => new { m.ObjectId, m.Counter, m.Time })
                .ToListAsync(cancellationToken))
            .Select(m => (m.ObjectId, m.Counter, m.Time.UtcTicks))
            .ToHashSet();
        var fresh = records.Where(r => !existing.Contains((r.ObjectId, r.Counter, r.Time.UtcTicks))).ToList();
        db.MetricSamples.AddRange(fresh);
        await db.SaveChangesAsync(cancellationToken);
        return fresh.Count;
    }

    /// <summary>The newest realtime Time stored for the host itself (every tick of a host has its host sample).</summary>
    private static async Task<DateTimeOffset?> LastStoredAsync(CenterDbContext db, InventoryId hostId, CancellationToken cancellationToken)
    {
        var times = await db.MetricSamples.AsNoTracking()
            .Where(m => m.ObjectId == hostId && m.Level == MetricLevel.Realtime)
            .OrderByDescending(m => m.Time)
            .Select(m => m.Time)
            .Take(1)
            .ToListAsync(cancellationToken);
        return times.Count == 0 ? null : times[0];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "metrics: cannot fetch samples of host {HostId}: {Reason}")]
    private static partial void LogFetchFailed(ILogger Logger, string hostId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "metrics: cannot store samples of host {HostId}")]
    private static partial void LogStoreFailed(ILogger Logger, string hostId, Exception exception);

}
