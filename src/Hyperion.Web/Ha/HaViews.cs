using Hyperion.Center.Authorization;
using Hyperion.Center.Ha;
using Hyperion.Center.Persistence;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Web.Ha;

/// <summary>A host's or VM's place in vSphere HA: its cluster (null: none), whether HA is on there, and its state in the master's view.</summary>
/// <param name="ClusterId">The cluster the host (or the VM's host) is in.</param>
/// <param name="Enabled">HA is on in that cluster.</param>
/// <param name="State">The host's <c>HaHostStates</c> value, or the VM's <c>HaVmProtectionStates</c> value (null: not protected).</param>
/// <param name="Master">The host is the master, or the VM's host is.</param>
/// <param name="Message">Why the VM is in that state (placement), from the master.</param>
public sealed record HaMembership(string? ClusterId, bool Enabled, string? State, bool Master, string? Message);

/// <summary>What the "Edit vSphere HA" dialog starts from.</summary>
/// <param name="Settings">The cluster's settings (null: never configured).</param>
/// <param name="Datastores">Datastores every host of the cluster shares: the heartbeat datastore choices.</param>
/// <param name="Hosts">How many hosts the cluster has (admission control tolerates fewer failures than that).</param>
public sealed record ClusterHaChoices(string ClusterName, ClusterHaDto? Settings, IReadOnlyList<string> Datastores, int Hosts);

/// <summary>
/// The web client's vSphere HA reads, through the Center's <see cref="ClusterHaService"/> (the master's view of the
/// cluster, asked of the hosts) and with the same visibility as the API: a cluster's HA view, a host's HA state, a
/// VM's protection, and what the settings dialog needs.
/// </summary>
public sealed class HaViews(CenterDbContext db, AccessControl access, ClusterHaService ha)
{
    public async Task<ClusterHaView> ClusterAsync(AuthenticatedUser user, string clusterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var status = await ha.GetStatusAsync(user, clusterId, cancellationToken);
        var uuids = status.Vms.Select(v => Guid.TryParse(v.Uuid, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var records = await db.Vms.AsNoTracking().Where(v => uuids.Contains(v.Uuid)).Select(v => new { v.Id, v.Uuid }).ToListAsync(cancellationToken);
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            if (await access.HasAsync(user.Name, record.Id, Privileges.SystemView, cancellationToken))
            {
                ids[record.Uuid.ToString()] = record.Id.Value;
            }
        }

        return ClusterHaView.From(status, ids);
    }

    public async Task<ClusterHaChoices> ChoicesAsync(AuthenticatedUser user, string clusterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var datastores = await ha.HeartbeatDatastoreChoicesAsync(user, clusterId, cancellationToken);
        var id = InventoryId.Parse(clusterId);
        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Id == id, cancellationToken);
        var hosts = await db.Hosts.CountAsync(h => h.ClusterId == id, cancellationToken);
        return new ClusterHaChoices(cluster.Name, ClusterHaMapper.ToDto(cluster), datastores, hosts);
    }

    /// <summary>The host's HA state as the cluster's master reports it.</summary>
    public async Task<HaMembership> HostAsync(AuthenticatedUser user, string hostId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = InventoryId.TryParse(hostId, out var parsed) && parsed.Kind == InventoryObjectKind.Host ? parsed : throw NotFound(hostId);
        if (!await access.HasAsync(user.Name, id, Privileges.SystemView, cancellationToken))
        {
            throw NotFound(hostId);
        }

        var clusterId = await db.Hosts.AsNoTracking().Where(h => h.Id == id).Select(h => h.ClusterId).SingleOrDefaultAsync(cancellationToken);
        var status = await StatusAsync(user, clusterId, cancellationToken);
        if (status is null)
        {
            return new HaMembership(clusterId?.Value, false, null, false, null);
        }

        var row = status.Hosts.FirstOrDefault(h => h.HostId == hostId);
        return new HaMembership(clusterId!.Value.Value, true, row?.State, row?.Master == true || status.MasterHostId == hostId, null);
    }

    /// <summary>The VM's protection as the cluster's master reports it (by the VM's UUID).</summary>
    public async Task<HaMembership> VmAsync(AuthenticatedUser user, string vmId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = InventoryId.TryParse(vmId, out var parsed) && parsed.Kind == InventoryObjectKind.Vm ? parsed : throw NotFound(vmId);
        var vm = await db.Vms.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.Uuid, v.HostId }).SingleOrDefaultAsync(cancellationToken);
        if (vm is null || !await access.HasAsync(user.Name, id, Privileges.SystemView, cancellationToken))
        {
            throw NotFound(vmId);
        }

        var clusterId = vm.HostId is { } hostId ? await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.ClusterId).SingleOrDefaultAsync(cancellationToken) : null;
        var status = await StatusAsync(user, clusterId, cancellationToken);
        if (status is null)
        {
            return new HaMembership(clusterId?.Value, false, null, false, null);
        }

        var row = status.Vms.FirstOrDefault(v => Guid.TryParse(v.Uuid, out var g) && g == vm.Uuid);
        return new HaMembership(clusterId!.Value.Value, true, row?.Protection, row is not null && row.HostId == status.MasterHostId, row?.Message);
    }

    /// <summary>The cluster's HA status when HA is on there; null for no cluster or HA off (nothing to ask the hosts).</summary>
    private async Task<ClusterHaStatusDto?> StatusAsync(AuthenticatedUser user, InventoryId? clusterId, CancellationToken cancellationToken)
    {
        if (clusterId is not { } id || !await db.Clusters.AsNoTracking().AnyAsync(c => c.Id == id && c.HaEnabled, cancellationToken))
        {
            return null;
        }

        return await ha.GetStatusAsync(user, id.Value, cancellationToken);
    }

    private static DomainException NotFound(string id) => new(new DomainError(ErrorCodes.InventoryNotFound, $"no object '{id}' (or no permission to see it)", "id"));
}
