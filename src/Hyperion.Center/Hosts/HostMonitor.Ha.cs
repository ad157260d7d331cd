using System.Collections.Concurrent;
using Hyperion.Center.Events;
using Hyperion.Center.Ha;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Hosts;

/// <summary>HA: each host of a cluster with HA on runs the HA agent with the cluster's settings.</summary>
public sealed partial class HostMonitor
{
    private const string HaOff = "off";

    /// <summary>What each host was last given (a <see cref="ClusterHaMapper.Key"/>, or <see cref="HaOff"/>); forgotten when a host reconnects.</summary>
    private readonly ConcurrentDictionary<InventoryId, string> _haApplied = new();

    /// <summary>Per host, the id of the last host event looked at for HA events to record here.</summary>
    private readonly ConcurrentDictionary<InventoryId, long> _haEventsSeen = new();

    /// <summary>(host, settings) pairs already reported as refused, so a refusal is one event, not one per round.</summary>
    private readonly ConcurrentDictionary<(InventoryId, string), byte> _haRefused = new();

    /// <summary>
    /// A host that joined a cluster with HA on, reconnected, or whose cluster's settings changed since it was last
    /// given them gets <c>PUT /api/host/ha</c>; a host of a cluster whose HA was turned off gets <c>DELETE</c>. A
    /// refusal (a host without etcd: <c>ha.not-configured</c>) is an event once, and is retried every round.
    /// </summary>
    private async Task AlignHaAsync(CenterDbContext db, HostRecord host, bool reconnected, HostConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (reconnected)
        {
            _haApplied.TryRemove(host.Id, out _);
        }

        var cluster = host.ClusterId is { } clusterId ? await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, cancellationToken) : null;
        var applied = _haApplied.GetValueOrDefault(host.Id);
        if (cluster?.HaIsolationResponse is null)
        {
            // HA never configured here: nothing to undo unless this process gave the host something.
            if (applied is not null and not HaOff)
            {
                await DisableHaAsync(host, settings, cancellationToken);
            }

            return;
        }

        if (!cluster.HaEnabled)
        {
            if (applied is not HaOff)
            {
                await DisableHaAsync(host, settings, cancellationToken);
            }

            return;
        }

        var config = ClusterHaMapper.ConfigFor(cluster, host);
        var wanted = ClusterHaMapper.Key(config);
        await ImportHaEventsAsync(db, host, settings, cancellationToken);
        if (applied == wanted)
        {
            return;
        }

        try
        {
            await connections.Get(host.Id, settings).ConfigureHaAsync(config, cancellationToken);
            _haApplied[host.Id] = wanted;
            LogHaConfigured(Logger, host.Id.Value, cluster.Id.Value);
        }
        catch (DomainException ex)
        {
            LogHaFailed(Logger, host.Id.Value, ex.Message);
            if (_haRefused.TryAdd((host.Id, wanted), 0))
            {
                CenterEventLog.Add(db, Time, CenterEventTypes.HostHaConfigFailed, $"host {settings.Endpoint} could not be given cluster {cluster.Name}'s HA settings: its VMs are not protected ({ex.Message})", host.Id, host.Address);
            }
        }
    }

    /// <summary>
    /// The HA agents decide without the Center (they go on while it is down); their decisions (<c>ha.*</c> events: master
    /// elected, host failed, VM restarted, isolation response…) are recorded in the Center's events when it next hears
    /// from the host — including those made while the Center was down (newer than the host's last HA event recorded here).
    /// </summary>
    private async Task ImportHaEventsAsync(CenterDbContext db, HostRecord host, HostConnectionSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var client = connections.Get(host.Id, settings);
            DateTimeOffset? newestRecorded = null;
            if (!_haEventsSeen.TryGetValue(host.Id, out var after))
            {
                var hostId = (InventoryId?)host.Id;
                newestRecorded = await db.Events.AsNoTracking().Where(e => e.ObjectId == hostId && e.Type.StartsWith("ha.")).MaxAsync(e => (DateTimeOffset?)e.Time, cancellationToken)
                    ?? DateTimeOffset.MinValue;
            }

            while (true)
            {
                var events = await client.ListEventsAsync(after, 500, cancellationToken);
                foreach (var e in events.Where(e => e.Type.StartsWith("ha.", StringComparison.Ordinal) && (newestRecorded is null || e.Time > newestRecorded)))
                {
                    var record = CenterEventLog.Add(db, Time, e.Type, $"host {host.Address}: {e.Message}{(e.VmName is null ? string.Empty : $" (VM {e.VmName})")}", host.Id, host.Address);
                    record.Time = e.Time;
                }

                if (events.Count == 0)
                {
                    break;
                }

                after = events[^1].Id;
                _haEventsSeen[host.Id] = after;
                if (events.Count < 500)
                {
                    break;
                }
            }

            _haEventsSeen.TryAdd(host.Id, after);
        }
        catch (DomainException ex)
        {
            LogHaFailed(Logger, host.Id.Value, $"its HA events could not be read: {ex.Message}");
        }
    }

    /// <summary>HA off on the host; recorded as done even when the host cannot be told now: it is told again when it reconnects.</summary>
    private async Task DisableHaAsync(HostRecord host, HostConnectionSettings settings, CancellationToken cancellationToken)
    {
        _haApplied[host.Id] = HaOff;
        try
        {
            await connections.Get(host.Id, settings).DisableHaAsync(cancellationToken);
        }
        catch (DomainException ex)
        {
            LogHaFailed(Logger, host.Id.Value, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "host {HostId}: HA configured as a member of cluster {ClusterId}")]
    private static partial void LogHaConfigured(ILogger Logger, string hostId, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {HostId}: could not align its HA settings with its cluster's: {Reason}")]
    private static partial void LogHaFailed(ILogger Logger, string hostId, string reason);
}
