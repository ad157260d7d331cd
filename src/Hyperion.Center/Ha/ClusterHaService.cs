using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Ha;

/// <summary>
/// vSphere HA, the Center's part: a cluster's HA settings and its status. The HA agents on the hosts do the work
/// (etcd leases, master election, restarts); the Center validates the settings, gives them to every host of the
/// cluster (<c>PUT /api/host/ha</c>; the host monitor gives them to hosts that join or reconnect later), enforces
/// admission control on power-ons it makes (<see cref="HaAdmission"/>) and shows the master's view of the cluster.
/// Bad settings or a host that refuses change nothing: hosts already configured are put back as they were.
/// </summary>
public sealed class ClusterHaService(CenterDbContext db, AccessControl access, HostConnections connections, HostCredentials credentials, TimeProvider time)
{
    /// <summary>How long the status waits for each host's <c>GET /api/host/ha</c>: a silent host must not hold up the page.</summary>
    public static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(3);

    public async Task<ClusterDto> SetAsync(AuthenticatedUser actor, string clusterId, ClusterHaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var cluster = await FindAsync(actor, clusterId, tracked: true, cancellationToken);
        await access.RequireAsync(actor.Name, cluster.Id, Privileges.HostEditCluster, cancellationToken);
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ClusterId == cluster.Id).OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(cancellationToken);

        var configured = cluster.HaIsolationResponse is not null;
        var failures = request.HostFailuresTolerated ?? (configured ? cluster.HaHostFailuresTolerated : ClusterHaMapper.DefaultHostFailuresTolerated);
        var isolation = request.IsolationResponse?.Trim() ?? cluster.HaIsolationResponse ?? HaIsolationResponses.PowerOff;
        var monitoring = request.VmMonitoring ?? (!configured || cluster.HaVmMonitoring);
        var shared = await SharedDatastoresAsync(hosts, cancellationToken);
        var heartbeat = request.HeartbeatDatastores?.Select(d => d.Trim()).Distinct(StringComparer.Ordinal).ToList()
            ?? (configured && cluster.HaHeartbeatDatastores is { Count: > 0 } kept ? kept : shared);

        var errors = new List<DomainError>();
        if (!HaIsolationResponses.All.Contains(isolation, StringComparer.Ordinal))
        {
            errors.Add(new DomainError(ErrorCodes.HaInvalidConfig, $"isolation response '{isolation}' is not one of {string.Join(", ", HaIsolationResponses.All)}", "isolationResponse"));
        }

        if (failures < 0)
        {
            errors.Add(new DomainError(ErrorCodes.HaInvalidConfig, $"host failures tolerated must be at least 0, not {failures}", "hostFailuresTolerated"));
        }
        else if (request.Enabled && failures >= hosts.Count)
        {
            errors.Add(new DomainError(ErrorCodes.HaInvalidConfig, $"host failures tolerated ({failures}) must be fewer than the cluster's hosts ({hosts.Count})", "hostFailuresTolerated"));
        }

        if (request.Enabled || request.HeartbeatDatastores is not null)
        {
            var lacking = heartbeat.Where(d => !shared.Contains(d, StringComparer.Ordinal)).ToList();
            if (lacking.Count > 0)
            {
                errors.Add(new DomainError(
                    ErrorCodes.HaInvalidConfig,
                    $"heartbeat datastore(s) {string.Join(", ", lacking.Select(d => $"'{d}'"))} not mounted by every host of cluster {cluster.Name} (shared by all: {(shared.Count == 0 ? "none" : string.Join(", ", shared))})",
                    "heartbeatDatastores"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainException(errors);
        }

        if (request.Enabled)
        {
            var unreachable = hosts.Where(h => h.ConnectionState != HostConnectionState.Connected).ToList();
            if (unreachable.Count > 0)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostNotConnected, $"cannot enable HA on cluster {cluster.Name}: {string.Join(", ", unreachable.Select(h => $"{h.Address} ({h.Id}) is {h.ConnectionState}"))}; reconnect or remove them first", "enabled"));
            }
        }

        var before = (Enabled: cluster.HaEnabled, Dto: ClusterHaMapper.ToDto(cluster));
        var previous = new ClusterRecord
        {
            Id = cluster.Id,
            Name = cluster.Name,
            FolderId = cluster.FolderId,
            HaEnabled = cluster.HaEnabled,
            HaHostFailuresTolerated = cluster.HaHostFailuresTolerated,
            HaIsolationResponse = cluster.HaIsolationResponse,
            HaVmMonitoring = cluster.HaVmMonitoring,
            HaHeartbeatDatastores = cluster.HaHeartbeatDatastores,
        };
        cluster.HaEnabled = request.Enabled;
        cluster.HaHostFailuresTolerated = failures;
        cluster.HaIsolationResponse = isolation;
        cluster.HaVmMonitoring = monitoring;
        cluster.HaHeartbeatDatastores = heartbeat;

        if (request.Enabled)
        {
            await ConfigureAllAsync(cluster, previous, hosts, cancellationToken);
        }
        else if (before.Enabled)
        {
            foreach (var host in hosts.Where(h => h.ConnectionState == HostConnectionState.Connected))
            {
                try
                {
                    await connections.Get(host.Id, credentials.For(host)).DisableHaAsync(cancellationToken);
                }
                catch (DomainException)
                {
                    // Turning HA off is not refused for a host that cannot be told now: the host monitor tells it later.
                }
            }
        }

        var after = ClusterHaMapper.ToDto(cluster)!;
        var (type, message) = (before.Enabled, request.Enabled) switch
        {
            (false, true) => (CenterEventTypes.ClusterHaEnabled, $"cluster {cluster.Name}: HA enabled on {hosts.Count} host(s); {Describe(after)}"),
            (true, false) => (CenterEventTypes.ClusterHaDisabled, $"cluster {cluster.Name}: HA disabled"),
            _ => (CenterEventTypes.ClusterHaReconfigured, $"cluster {cluster.Name}: HA {(after.Enabled ? "reconfigured" : "settings changed (HA stays off)")}; {Describe(after)}"),
        };
        CenterEventLog.Add(db, time, type, message, cluster.Id, cluster.Name, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        return await ClusterDtoAsync(cluster, cancellationToken);
    }

    /// <summary>Settings, the master, every host's HA state and every protected VM (the master's view), admission control.</summary>
    public async Task<ClusterHaStatusDto> GetStatusAsync(AuthenticatedUser actor, string clusterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var cluster = await FindAsync(actor, clusterId, tracked: false, cancellationToken);
        var settings = ClusterHaMapper.ToDto(cluster) ?? ClusterHaMapper.Off;
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ClusterId == cluster.Id).OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(cancellationToken);
        var admission = HaAdmission.ToDto(await HaAdmission.ForClusterAsync(db, cluster, null, cancellationToken));

        var answers = await Task.WhenAll(hosts.Where(h => h.ConnectionState == HostConnectionState.Connected).Select(async h =>
        {
            try
            {
                return (Host: h, State: await connections.Get(h.Id, credentials.For(h)).GetHaAsync(StatusTimeout, cancellationToken));
            }
            catch (DomainException)
            {
                return (Host: h, State: (HostHaStateDto?)null);
            }
        }));
        var answered = answers.Where(a => a.State is not null).ToDictionary(a => a.Host.Id, a => a.State!);
        var view = answers.FirstOrDefault(a => a.State?.State == HaHostStates.Master).State
            ?? answers.FirstOrDefault(a => a.State is not null).State;

        var byId = hosts.ToDictionary(h => h.Id.Value, StringComparer.Ordinal);
        var byAddress = hosts.GroupBy(h => h.Address, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string MapHost(string? hostId, string? hostName = null) =>
            hostId is not null && byId.ContainsKey(hostId) ? hostId
            : (hostName ?? hostId) is { } name && byAddress.TryGetValue(name, out var match) ? match.Id.Value
            : hostId ?? string.Empty;

        var reported = new Dictionary<string, HaHostDto>(StringComparer.Ordinal);
        foreach (var entry in view?.Hosts ?? [])
        {
            var id = MapHost(entry.HostId, entry.HostName);
            reported.TryAdd(id, entry with { HostId = id, HostName = byId.TryGetValue(id, out var known) ? known.Address : entry.HostName });
        }

        var rows = new List<HaHostDto>();
        foreach (var host in hosts)
        {
            if (reported.Remove(host.Id.Value, out var seen))
            {
                rows.Add(seen);
            }
            else if (answered.TryGetValue(host.Id, out var own))
            {
                rows.Add(new HaHostDto(host.Id.Value, host.Address, own.State, own.State == HaHostStates.Master, own.State is HaHostStates.Master or HaHostStates.Connected, null, 0, 0));
            }
            else
            {
                var state = !settings.Enabled ? HaHostStates.Disabled : host.InMaintenanceMode ? HaHostStates.Maintenance : HaHostStates.Failed;
                rows.Add(new HaHostDto(host.Id.Value, host.Address, state, false, false, null, 0, 0));
            }
        }

        // Hosts the master knows that the Center does not have in this cluster (removed, or another Center's) still show.
        rows.AddRange(reported.Values);
        var vms = (view?.Vms ?? []).Select(v => v with { HostId = MapHost(v.HostId), OwnerHostId = v.OwnerHostId is null ? null : MapHost(v.OwnerHostId) }).ToList();
        var master = view?.MasterHostId is { } m ? MapHost(m) : rows.FirstOrDefault(r => r.Master)?.HostId;
        return new ClusterHaStatusDto
        {
            ClusterId = cluster.Id.Value,
            ClusterName = cluster.Name,
            Settings = settings,
            MasterHostId = master,
            Hosts = rows,
            Vms = vms,
            Admission = admission,
        };
    }

    /// <summary>The datastores that may hold the cluster's datastore heartbeats: shared (not <c>local</c>) ones every host of it mounts, by name.</summary>
    public async Task<IReadOnlyList<string>> HeartbeatDatastoreChoicesAsync(AuthenticatedUser actor, string clusterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var cluster = await FindAsync(actor, clusterId, tracked: false, cancellationToken);
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ClusterId == cluster.Id).ToListAsync(cancellationToken);
        return await SharedDatastoresAsync(hosts, cancellationToken);
    }

    /// <summary>
    /// Gives every host the cluster's new settings, in address order. When one refuses, the hosts already done are
    /// put back as they were (HA off, or the previous settings) and the refusal names the host.
    /// </summary>
    private async Task ConfigureAllAsync(ClusterRecord cluster, ClusterRecord previous, List<HostRecord> hosts, CancellationToken cancellationToken)
    {
        var done = new List<HostRecord>();
        foreach (var host in hosts)
        {
            try
            {
                await connections.Get(host.Id, credentials.For(host)).ConfigureHaAsync(ClusterHaMapper.ConfigFor(cluster, host), cancellationToken);
                done.Add(host);
            }
            catch (DomainException ex)
            {
                foreach (var configured in done)
                {
                    try
                    {
                        var client = connections.Get(configured.Id, credentials.For(configured));
                        if (previous.HaEnabled)
                        {
                            await client.ConfigureHaAsync(ClusterHaMapper.ConfigFor(previous, configured), CancellationToken.None);
                        }
                        else
                        {
                            await client.DisableHaAsync(CancellationToken.None);
                        }
                    }
                    catch (DomainException)
                    {
                        // Best effort: the host monitor aligns it with the cluster's (unchanged) settings later.
                    }
                }

                throw new DomainException(new DomainError(
                    ex.Code,
                    $"cannot {(previous.HaEnabled ? "reconfigure" : "enable")} HA on cluster {cluster.Name}: host {host.Address} ({host.Id}) refused: {ex.Message}; nothing was changed",
                    "enabled"));
            }
        }
    }

    private static string Describe(ClusterHaDto ha) =>
        $"{ha.HostFailuresTolerated} host failure(s) tolerated, isolation response {ha.IsolationResponse}, VM monitoring {(ha.VmMonitoring ? "on" : "off")}, heartbeat datastores {(ha.HeartbeatDatastores.Count == 0 ? "none" : string.Join(", ", ha.HeartbeatDatastores))}";

    /// <summary>The shared (not <c>local</c>) datastores every host of the list mounts, by name, sorted.</summary>
    private async Task<List<string>> SharedDatastoresAsync(List<HostRecord> hosts, CancellationToken cancellationToken)
    {
        if (hosts.Count == 0)
        {
            return [];
        }

        var hostIds = hosts.Select(h => h.Id).ToList();
        var mounts = await db.DatastoreMounts.AsNoTracking()
            .Where(m => hostIds.Contains(m.HostId))
            .Join(db.Datastores.AsNoTracking().Where(d => d.Type != "local"), m => m.DatastoreId, d => d.Id, (m, d) => new { m.HostId, d.Name })
            .ToListAsync(cancellationToken);
        return mounts.GroupBy(m => m.Name, StringComparer.Ordinal)
            .Where(g => g.Select(m => m.HostId).Distinct().Count() == hosts.Count)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<ClusterRecord> FindAsync(AuthenticatedUser actor, string clusterId, bool tracked, CancellationToken cancellationToken)
    {
        ClusterRecord? cluster = null;
        if (InventoryId.TryParse(clusterId, out var id) && id.Kind == InventoryObjectKind.Cluster)
        {
            var clusters = tracked ? db.Clusters : db.Clusters.AsNoTracking();
            cluster = await clusters.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        }

        if (cluster is null || !await access.HasAsync(actor.Name, cluster.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no cluster '{clusterId}'", "id"));
        }

        return cluster;
    }

    private async Task<ClusterDto> ClusterDtoAsync(ClusterRecord cluster, CancellationToken cancellationToken)
    {
        var datacenter = (await InventoryAncestry.GetAsync(db, cluster.Id, cancellationToken)).First(p => p.Kind == InventoryObjectKind.Datacenter);
        return new ClusterDto(cluster.Id.Value, cluster.Name, cluster.FolderId.Value, datacenter.Value) { CpuBaseline = cluster.CpuBaseline, Ha = ClusterHaMapper.ToDto(cluster) };
    }
}
