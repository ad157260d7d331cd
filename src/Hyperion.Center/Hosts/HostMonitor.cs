using Hyperion.Center.Events;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Hosts;

/// <summary>
/// The Center's heartbeat: every <see cref="HostMonitorOptions.Interval"/> each host that is not disconnected by an
/// admin is asked for <c>GET /api/host</c> and <c>GET /api/vms</c>. An answer marks it connected and makes its VM
/// records converge to what it reports; no answer for longer than <see cref="HostMonitorOptions.Grace"/> since the
/// last heartbeat marks it not responding. All state is in the database, so a restarted Center carries on.
/// </summary>
public sealed partial class HostMonitor(
    IDbContextFactory<CenterDbContext> factory,
    HostConnections connections,
    HostCredentials credentials,
    HostInventoryVersions versions,
    HostMonitorOptions options,
    TimeProvider time,
    ILogger<HostMonitor> logger) : PeriodicBackgroundService(options.Interval, time, logger)
{
    /// <summary>How many hosts one round calls and records at the same time.</summary>
    public const int MaxParallelHosts = 8;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>(host, baseline) pairs already reported as not runnable, so a refusal is one event, not one per round.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), byte> _baselineRefused = new();

    /// <summary>One round over every host; idempotent, and serialized with other rounds.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<HostRecord> hosts;
            await using (var db = factory.CreateDbContext())
            {
                hosts = await db.Hosts.AsNoTracking()
                    .Where(h => h.ConnectionState != HostConnectionState.Disconnected)
                    .ToListAsync(cancellationToken);
            }

            // A bounded number of hosts at once: a burst of 100 concurrent calls and transactions on a small Center
            // shows up as latency in every API request of that moment (measured in bench/Hyperion.Bench.Center).
            await Parallel.ForEachAsync(
                hosts,
                new ParallelOptions { MaxDegreeOfParallelism = MaxParallelHosts, CancellationToken = cancellationToken },
                async (host, ct) => await ReconcileHostAsync(host, ct));
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

    private static void DiscardChanges(CenterDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            entry.State = entry.State == EntityState.Added ? EntityState.Detached : EntityState.Unchanged;
        }
    }

    private async Task ReconcileHostAsync(HostRecord snapshot, CancellationToken cancellationToken)
    {
        var settings = credentials.For(snapshot);
        var version = versions.Current(snapshot.Id);
        HostCallResult? reported = null;
        DomainException? failure = null;
        try
        {
            reported = await connections.Get(snapshot.Id, settings).DescribeAsync(cancellationToken);
        }
        catch (DomainException ex)
        {
            failure = ex;
        }

        try
        {
            await using var db = factory.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == snapshot.Id, cancellationToken);
            if (host is null || host.ConnectionState == HostConnectionState.Disconnected)
            {
                return; // Removed or disconnected meanwhile.
            }

            var now = Time.GetUtcNow();
            if (reported is not null)
            {
                if (versions.Current(host.Id) == version && !versions.Busy(host.Id))
                {
                    var (added, updated, removed) = await HostInventorySync.ApplyAsync(db, host, reported, Time, cancellationToken);
                    if (versions.Current(host.Id) != version)
                    {
                        // A task acted on this host's VMs meanwhile: this picture may predate it. Drop it; the next round is fresh.
                        DiscardChanges(db);
                    }
                    else if (added + updated + removed > 0)
                    {
                        LogConverged(Logger, host.Id.Value, added, updated, removed);
                    }
                }

                var reconnected = host.ConnectionState != HostConnectionState.Connected;
                if (reconnected)
                {
                    LogConnected(Logger, host.Id.Value, settings.Endpoint.ToString());
                    CenterEventLog.Add(db, Time, CenterEventTypes.HostConnected, $"host {settings.Endpoint} is connected again", host.Id, host.Address);
                }

                host.ConnectionState = HostConnectionState.Connected;
                host.LastHeartbeatAt = now;
                host.MemoryMiB = reported.Host.MemoryMiB;
                await AlignCpuBaselineAsync(db, host, reported.Host, settings, cancellationToken);
                await AlignHaAsync(db, host, reconnected, settings, cancellationToken);
            }
            else if (host.ConnectionState == HostConnectionState.Connected && (host.LastHeartbeatAt is not { } last || now - last > options.Grace))
            {
                host.ConnectionState = HostConnectionState.NotResponding;
                LogNotResponding(Logger, host.Id.Value, settings.Endpoint.ToString(), failure?.Message ?? "no answer");
                CenterEventLog.Add(db, Time, CenterEventTypes.HostNotResponding, $"host {settings.Endpoint} is not responding: {failure?.Message ?? "no answer"}", host.Id, host.Address);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // A concurrent removal or add (foreign key or unique index): the next round sees the new state.
            LogHostRoundFailed(Logger, snapshot.Id.Value, ex);
        }
    }

    /// <summary>
    /// A host that joined a cluster with a CPU baseline, or reconnected after it changed, is given the cluster's
    /// baseline. One it cannot run is reported once per change (an event), and its VMs keep the host's default model.
    /// </summary>
    private async Task AlignCpuBaselineAsync(CenterDbContext db, HostRecord host, Contracts.Hosts.HostInfoDto info, HostConnectionSettings settings, CancellationToken cancellationToken)
    {
        var wanted = host.ClusterId is { } clusterId ? (await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken))?.CpuBaseline : null;
        if (info.Driver == "simulated" || string.Equals(wanted, info.Acceleration.CpuBaseline, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            await connections.Get(host.Id, settings).SetCpuBaselineAsync(wanted, cancellationToken);
            LogBaselineAligned(Logger, host.Id.Value, wanted ?? "none");
        }
        catch (DomainException ex) when (ex.Code == ErrorCodes.HostCpuUnsupported)
        {
            if (_baselineRefused.TryAdd((host.Id.Value, wanted ?? string.Empty), 0))
            {
                CenterEventLog.Add(db, Time, CenterEventTypes.HostCpuBaselineUnsupported, $"host {settings.Endpoint} cannot run its cluster's CPU baseline '{wanted}': its VMs keep the host's own CPU model and cannot move to the cluster's other hosts ({ex.Message})", host.Id, host.Address);
            }
        }
        catch (DomainException ex)
        {
            LogBaselineFailed(Logger, host.Id.Value, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "host {HostId}: CPU baseline set to the cluster's ({Model})")]
    private static partial void LogBaselineAligned(ILogger Logger, string hostId, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {HostId}: could not set the cluster's CPU baseline: {Reason}")]
    private static partial void LogBaselineFailed(ILogger Logger, string hostId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "host {HostId} at {Endpoint} is connected")]
    private static partial void LogConnected(ILogger Logger, string hostId, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {HostId} at {Endpoint} is not responding: {Reason}")]
    private static partial void LogNotResponding(ILogger Logger, string hostId, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "host {HostId}: VM records converged ({Added} added, {Updated} updated, {Removed} removed)")]
    private static partial void LogConverged(ILogger Logger, string hostId, int added, int updated, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {HostId}: could not record this round")]
    private static partial void LogHostRoundFailed(ILogger Logger, string hostId, Exception exception);

}
