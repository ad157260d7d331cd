using Hyperion.Center.Authorization;
using Hyperion.Center.Events;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Migrations;

/// <summary>
/// A cluster's CPU baseline, the vSphere EVC way: one QEMU CPU model (e.g. <c>Westmere-v1</c>) that every host of the
/// cluster can run and that every VM powered on in the cluster gets instead of its host's <c>host</c>/<c>max</c>, so
/// any VM can live-migrate to any host of the cluster. Setting it checks every host (all connected, each able to run
/// the model, as its QEMU reports) before it changes anything, then gives it to each host; hosts that join or
/// reconnect later are given it by the host monitor. Running VMs keep their model until their next power-on.
/// </summary>
public sealed class CpuBaselineService(CenterDbContext db, AccessControl access, HostConnections connections, HostCredentials credentials, TimeProvider time)
{
    public async Task<ClusterDto> SetAsync(AuthenticatedUser actor, string clusterId, ClusterCpuBaselineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        ClusterRecord? cluster = null;
        if (InventoryId.TryParse(clusterId, out var id) && id.Kind == InventoryObjectKind.Cluster)
        {
            cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        }

        if (cluster is null || !await access.HasAsync(actor.Name, cluster.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.InventoryNotFound, $"no cluster '{clusterId}'", "id"));
        }

        await access.RequireAsync(actor.Name, cluster.Id, Privileges.HostCreateCluster, cancellationToken);
        var model = string.IsNullOrWhiteSpace(request.Model) ? null : request.Model.Trim();
        if (model is not null && (model.Length > 64 || model is "host" or "max" or "base"))
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "model must be a named, migration-safe QEMU CPU model (not host, max or base), at most 64 characters", "model"));
        }

        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ClusterId == cluster.Id).OrderBy(h => h.Address).ToListAsync(cancellationToken);
        if (model is not null)
        {
            // Every host, before anything changes: connected, and its QEMU can run the model.
            var unreachable = hosts.Where(h => h.ConnectionState != HostConnectionState.Connected).ToList();
            if (unreachable.Count > 0)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostNotConnected, $"cannot check CPU model '{model}' on {string.Join(", ", unreachable.Select(h => $"{h.Address} ({h.ConnectionState})"))}: reconnect or remove them first", "model"));
            }

            var lacking = new List<string>();
            foreach (var host in hosts)
            {
                var info = await connections.Get(host.Id, credentials.For(host)).GetHostInfoAsync(cancellationToken);
                if (info.Acceleration.UsableCpuModels?.Contains(model, StringComparer.Ordinal) != true)
                {
                    lacking.Add($"{host.Id} at {host.Address} ({info.Acceleration.Mode}; usable there: {string.Join(", ", (info.Acceleration.UsableCpuModels ?? []).Take(12))}{((info.Acceleration.UsableCpuModels?.Count ?? 0) > 12 ? ", …" : string.Empty)})");
                }
            }

            if (lacking.Count > 0)
            {
                throw new DomainException(new DomainError(ErrorCodes.HostCpuUnsupported, $"CPU model '{model}' cannot run on {string.Join("; ", lacking)}", "model"));
            }
        }

        foreach (var host in hosts.Where(h => h.ConnectionState == HostConnectionState.Connected))
        {
            await connections.Get(host.Id, credentials.For(host)).SetCpuBaselineAsync(model, cancellationToken);
        }

        var previous = cluster.CpuBaseline;
        cluster.CpuBaseline = model;
        var hostIds = hosts.Select(h => (InventoryId?)h.Id).ToList();
        var running = await db.Vms.CountAsync(v => hostIds.Contains(v.HostId) && v.PowerState == Domain.Vms.VmPowerState.PoweredOn, cancellationToken);
        var message = model is null
            ? $"cluster {cluster.Name}: CPU baseline '{previous}' cleared; VMs powered on from now get their host's CPU model"
            : $"cluster {cluster.Name}: CPU baseline set to '{model}' on {hosts.Count} host(s){(running > 0 ? $"; {running} running VM(s) keep their CPU model until their next power-on" : string.Empty)}";
        CenterEventLog.Add(db, time, Contracts.Center.CenterEventTypes.ClusterCpuBaselineChanged, message, cluster.Id, cluster.Name, actor.Name);
        await db.SaveChangesAsync(cancellationToken);
        var datacenter = (await InventoryAncestry.GetAsync(db, cluster.Id, cancellationToken)).First(p => p.Kind == InventoryObjectKind.Datacenter);
        return new ClusterDto(cluster.Id.Value, cluster.Name, cluster.FolderId.Value, datacenter.Value) { CpuBaseline = model, Ha = Ha.ClusterHaMapper.ToDto(cluster) };
    }
}
