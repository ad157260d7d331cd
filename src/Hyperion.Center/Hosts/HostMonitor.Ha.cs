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
