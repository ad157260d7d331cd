using Hyperion.Center.Authorization;
using Hyperion.Center.Hosts;
using Hyperion.Center.Metrics;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Metrics;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Web.Inventory;

/// <summary>An object's id, kind, display name and state (a VM's power state, a host's connection state), for a page header.</summary>
/// <remarks><see cref="FolderKind"/> is a folder's <c>datacenter</c>, <c>host</c> or <c>vm</c> (null for other kinds).</remarks>
public sealed record ObjectHeader(string Id, InventoryObjectKind Kind, string Name, string? State, string? FolderKind = null);

/// <summary>A link to another object.</summary>
public sealed record ObjectLink(string Id, string Name);

public sealed record VmCounts(int Total, int PoweredOn, int Suspended);

public sealed record HostCounts(int Total, int Connected, int NotResponding, int Disconnected, int InMaintenance);

public sealed record StorageTotals(int Datastores, long CapacityBytes, long FreeBytes);

/// <summary>Hosts' CPU cores and memory as their agents report them; <see cref="Unreported"/> connected hosts did not answer.</summary>
public sealed record CapacityTotals(int Hosts, int Cores, long MemoryMiB, long MemoryUsedMiB, int Unreported);

/// <summary>A host that needs attention (not responding, disconnected or in maintenance).</summary>
public sealed record HostAttention(string Id, string Name, string State, DateTimeOffset? LastHeartbeatAt);

/// <summary>What a container holds (the whole visible inventory, a datacenter, a folder, a cluster), counted as the user may see it.</summary>
public sealed record ContainerSummary(
    int Datacenters,
    int Clusters,
    HostCounts Hosts,
    VmCounts Vms,
    StorageTotals Storage,
    int Networks,
    IReadOnlyList<HostAttention> Attention,
    string? FolderKind,
    ObjectLink? Datacenter)
{
    /// <summary>A cluster's HA settings (read-only here); null for other containers and for a cluster that never had HA.</summary>
    public ClusterHaDto? Ha { get; init; }
}

public sealed record VmSummary(
    CenterVmDto Vm,
    ObjectLink? Host,
    ObjectLink Folder,
    ObjectLink? Datastore,
    Guid Uuid,
    DateTimeOffset? CreatedAt,
    double? CpuUsagePercent,
    double? MemoryUsagePercent,
    VmDto? Live,
    string? LiveError)
{
    /// <summary>For a linked clone, the template whose disks it shares (when the user may see it).</summary>
    public ObjectLink? LinkedTemplate { get; init; }
}

public sealed record HostSummary(HostDto Host, ObjectLink? Cluster, VmCounts Vms, HostHardwareResult? Hardware, double? CpuUsagePercent, IReadOnlyList<ObjectLink> Datastores);

public sealed record DatastoreSummary(CenterDatastoreDto Datastore, ObjectLink Datacenter, IReadOnlyList<ObjectLink> Hosts, int Vms);

public sealed record NetworkSummary(CenterNetworkDto Network, ObjectLink Datacenter);

/// <summary>
/// The object pages' and the home dashboard's reads: headers and per-kind summaries of objects the user may see
/// (<see cref="Privileges.SystemView"/>, as the API decides it; anything else is "not found"), counts over containers,
/// and capacity totals from the hosts' agents.
/// </summary>
public sealed class InventorySummaries(
    CenterDbContext db, AccessControl access, InventoryBrowser browser, HostHardware hardware, HostConnections connections, HostCredentials credentials, TimeProvider time)
{
    /// <exception cref="DomainException"><see cref="ErrorCodes.InventoryNotFound"/> when the object does not exist or the user may not see it.</exception>
    public async Task<ObjectHeader> HeaderAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!InventoryId.TryParse(id, out var objectId))
        {
            throw InventoryScope.NotFound(id);
        }

        if (objectId.Kind == InventoryObjectKind.Vm)
        {
            var vm = await VisibleVmAsync(user, objectId, cancellationToken);
            return new ObjectHeader(vm.Id.Value, InventoryObjectKind.Vm, vm.Name, InventoryBrowser.VmStateText(vm.PowerState, vm.IsTemplate));
        }

        var scope = await browser.ScopeAsync(user, cancellationToken);
        scope.RequireVisible(objectId);
        switch (objectId.Kind)
        {
            case InventoryObjectKind.Host:
                var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == objectId, cancellationToken);
                return new ObjectHeader(id, InventoryObjectKind.Host, host.Address, host.InMaintenanceMode ? "maintenance" : InventoryBrowser.ConnectionText(host));
            case InventoryObjectKind.Folder:
                var folderKind = scope.Tree.FolderKindOf(objectId)?.ToString().ToLowerInvariant();
                var folderName = objectId == InventoryId.RootFolder ? "Datacenters"
                    : scope.IsRootVmFolder(objectId) ? "Virtual Machines"
                    : await db.Folders.AsNoTracking().Where(f => f.Id == objectId).Select(f => f.Name).SingleAsync(cancellationToken);
                return new ObjectHeader(id, InventoryObjectKind.Folder, folderName, null, folderKind);
            default:
                var name = await Center.Inventory.InventoryObjectNames.GetAsync(db, objectId, cancellationToken) ?? throw InventoryScope.NotFound(id);
                return new ObjectHeader(id, objectId.Kind, name, null);
        }
    }

    public async Task<VmSummary> VmAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var vmId = InventoryId.TryParse(id, out var parsed) ? parsed : throw InventoryScope.NotFound(id);
        var vm = await VisibleVmAsync(user, vmId, cancellationToken);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        HostRecord? host = vm.HostId is { } h ? await db.Hosts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == h, cancellationToken) : null;
        var folderName = scope.IsRootVmFolder(vm.FolderId)
            ? "Virtual Machines"
            : await db.Folders.AsNoTracking().Where(f => f.Id == vm.FolderId).Select(f => f.Name).SingleAsync(cancellationToken);
        var datastore = vm.DatastoreId is { } d && scope.Visible(d)
            ? await db.Datastores.AsNoTracking().Where(x => x.Id == d).Select(x => new ObjectLink(x.Id.Value, x.Name)).SingleOrDefaultAsync(cancellationToken)
            : null;
        var created = await db.Events.AsNoTracking()
            .Where(e => e.ObjectId == vm.Id && (e.Type == CenterEventTypes.VmCreated || e.Type == CenterEventTypes.VmCloned || e.Type == CenterEventTypes.VmDiscovered))
            .OrderBy(e => e.Id).Select(e => (DateTimeOffset?)e.Time).FirstOrDefaultAsync(cancellationToken);

        VmDto? live = null;
        string? liveError = null;
        if (host is null || vm.HostLocalId is null)
        {
            liveError = "the VM is on no host";
        }
        else if (host.ConnectionState != HostConnectionState.Connected)
        {
            liveError = $"its host {host.Address} is {InventoryBrowser.ConnectionText(host)}";
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(HostHardware.CallTimeout);
            try
            {
                live = await connections.Get(host.Id, credentials.For(host)).GetVmAsync(vm.HostLocalId.Value.Value, timeout.Token);
            }
            catch (DomainException ex)
            {
                liveError = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                liveError = $"its host {host.Address} did not answer in time";
            }
        }

        var hostLink = host is not null && scope.Visible(host.Id) ? new ObjectLink(host.Id.Value, host.Address) : null;
        ObjectLink? linkedTemplate = null;
        if (Guid.TryParse(live?.LinkedTemplateUuid, out var templateUuid))
        {
            var template = await db.Vms.AsNoTracking().Where(v => v.Uuid == templateUuid).Select(v => new { v.Id, v.Name }).FirstOrDefaultAsync(cancellationToken);
            if (template is not null && await access.HasAsync(user.Name, template.Id, Privileges.SystemView, cancellationToken))
            {
                linkedTemplate = new ObjectLink(template.Id.Value, template.Name);
            }
        }

        return new VmSummary(
            CenterVmMapper.ToDto(vm),
            hostLink,
            new ObjectLink(vm.FolderId.Value, folderName),
            datastore,
            vm.Uuid,
            created,
            await LatestAsync(vm.Id, MetricCounters.CpuUsage, cancellationToken),
            await LatestAsync(vm.Id, MetricCounters.MemUsage, cancellationToken),
            live,
            liveError)
        {
            LinkedTemplate = linkedTemplate,
        };
    }

    public async Task<HostSummary> HostAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        var hostId = RequireKind(scope, id, InventoryObjectKind.Host);
        var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == hostId, cancellationToken);
        var cluster = host.ClusterId is { } c ? await db.Clusters.AsNoTracking().Where(x => x.Id == c).Select(x => new ObjectLink(x.Id.Value, x.Name)).SingleAsync(cancellationToken) : null;
        var vmCount = await db.Vms.CountAsync(v => v.HostId == host.Id, cancellationToken);
        var vms = await CountVmsAsync(browser.VmsUnder(scope, hostId), cancellationToken);
        var datastoreIds = await db.DatastoreMounts.AsNoTracking().Where(m => m.HostId == hostId).Select(m => m.DatastoreId).ToListAsync(cancellationToken);
        var visibleStores = datastoreIds.Where(scope.Visible).ToList();
        var datastores = await db.Datastores.AsNoTracking().Where(d => visibleStores.Contains(d.Id)).OrderBy(d => d.Name)
            .Select(d => new ObjectLink(d.Id.Value, d.Name)).ToListAsync(cancellationToken);
        HostHardwareResult? info = host.ConnectionState == HostConnectionState.Connected ? await hardware.GetAsync(host, cancellationToken) : null;
        return new HostSummary(
            HostService.ToDto(host, cluster?.Name, vmCount),
            cluster is not null && scope.Visible(InventoryId.Parse(cluster.Id)) ? cluster : null,
            vms,
            info,
            await LatestAsync(hostId, MetricCounters.CpuUsage, cancellationToken),
            datastores);
    }

    /// <summary>Counts under a datacenter, folder or cluster; <paramref name="id"/> null: the whole inventory the user may see (the home page).</summary>
    public async Task<ContainerSummary> ContainerAsync(AuthenticatedUser user, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        var container = InventoryId.RootFolder;
        if (id is not null)
        {
            container = InventoryId.TryParse(id, out var parsed) && parsed.Kind is InventoryObjectKind.Datacenter or InventoryObjectKind.Folder or InventoryObjectKind.Cluster
                ? parsed
                : throw InventoryScope.NotFound(id);
            scope.RequireVisible(container);
        }

        var hosts = await browser.HostsAsync(scope, container, cancellationToken);
        var datastoreIds = scope.Below(container, InventoryObjectKind.Datastore);
        var storage = await db.Datastores.AsNoTracking().Where(d => datastoreIds.Contains(d.Id))
            .GroupBy(d => 1).Select(g => new { Count = g.Count(), Capacity = g.Sum(d => d.CapacityBytes), Free = g.Sum(d => d.FreeBytes) })
            .SingleOrDefaultAsync(cancellationToken);
        var attention = hosts.Where(h => h.InMaintenanceMode || h.ConnectionState != HostConnectionState.Connected)
            .Select(h => new HostAttention(h.Id.Value, h.Address, h.InMaintenanceMode && h.ConnectionState == HostConnectionState.Connected ? "maintenance" : InventoryBrowser.ConnectionText(h), h.LastHeartbeatAt))
            .ToList();
        ObjectLink? datacenter = null;
        for (var at = (InventoryId?)container; at is { } a; at = scope.Tree.ParentOf(a))
        {
            if (a.Kind == InventoryObjectKind.Datacenter && a != container && scope.Visible(a))
            {
                datacenter = new ObjectLink(a.Value, await Center.Inventory.InventoryObjectNames.GetAsync(db, a, cancellationToken) ?? a.Value);
                break;
            }
        }

        return new ContainerSummary(
            scope.Below(container, InventoryObjectKind.Datacenter).Count,
            scope.Below(container, InventoryObjectKind.Cluster).Count,
            new HostCounts(
                hosts.Count,
                hosts.Count(h => h.ConnectionState == HostConnectionState.Connected),
                hosts.Count(h => h.ConnectionState == HostConnectionState.NotResponding),
                hosts.Count(h => h.ConnectionState == HostConnectionState.Disconnected),
                hosts.Count(h => h.InMaintenanceMode)),
            await CountVmsAsync(browser.VmsUnder(scope, container), cancellationToken),
            storage is null ? new StorageTotals(0, 0, 0) : new StorageTotals(storage.Count, storage.Capacity, storage.Free),
            scope.Below(container, InventoryObjectKind.Network).Count,
            attention,
            container.Kind == InventoryObjectKind.Folder ? scope.Tree.FolderKindOf(container)?.ToString().ToLowerInvariant() : null,
            datacenter)
        {
            Ha = container.Kind == InventoryObjectKind.Cluster
                && await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == container, cancellationToken) is { } cluster
                ? Center.Ha.ClusterHaMapper.ToDto(cluster)
                : null,
        };
    }

    /// <summary>CPU and memory of the connected hosts under a container (null: everything visible), as their agents report them.</summary>
    public async Task<CapacityTotals> CapacityAsync(AuthenticatedUser user, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        var container = InventoryId.RootFolder;
        if (id is not null)
        {
            container = InventoryId.TryParse(id, out var parsed) ? parsed : throw InventoryScope.NotFound(id);
            scope.RequireVisible(container);
        }

        var hosts = await browser.HostsAsync(scope, container, cancellationToken);
        var answers = await hardware.GetAsync(hosts, cancellationToken);
        var infos = answers.Values.Where(a => a.Info is not null).Select(a => a.Info!).ToList();
        return new CapacityTotals(
            infos.Count,
            infos.Sum(i => i.Cores),
            infos.Sum(i => i.MemoryMiB),
            infos.Sum(i => i.MemoryMiB - i.MemoryAvailableMiB),
            answers.Count - infos.Count);
    }

    public async Task<DatastoreSummary> DatastoreAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        var datastoreId = RequireKind(scope, id, InventoryObjectKind.Datastore);
        var datastore = await db.Datastores.AsNoTracking().SingleAsync(d => d.Id == datastoreId, cancellationToken);
        var hostIds = await db.DatastoreMounts.AsNoTracking().Where(m => m.DatastoreId == datastoreId).Select(m => m.HostId).ToListAsync(cancellationToken);
        var visibleHosts = hostIds.Where(scope.Visible).ToList();
        var hosts = await db.Hosts.AsNoTracking().Where(h => visibleHosts.Contains(h.Id)).OrderBy(h => h.Address)
            .Select(h => new ObjectLink(h.Id.Value, h.Address)).ToListAsync(cancellationToken);
        var datacenter = await db.Datacenters.AsNoTracking().Where(d => d.Id == datastore.DatacenterId).Select(d => new ObjectLink(d.Id.Value, d.Name)).SingleAsync(cancellationToken);
        var vms = await browser.VmsUnder(scope, datastoreId).CountAsync(cancellationToken);
        return new DatastoreSummary(
            new CenterDatastoreDto(datastore.Id.Value, datastore.Name, datastore.DatacenterId.Value, datastore.Type, datastore.CapacityBytes, datastore.FreeBytes, hostIds.Select(h => h.Value).ToList()),
            datacenter,
            hosts,
            vms);
    }

    public async Task<NetworkSummary> NetworkAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var scope = await browser.ScopeAsync(user, cancellationToken);
        var networkId = RequireKind(scope, id, InventoryObjectKind.Network);
        var network = await db.Networks.AsNoTracking().SingleAsync(n => n.Id == networkId, cancellationToken);
        var datacenter = await db.Datacenters.AsNoTracking().Where(d => d.Id == network.DatacenterId).Select(d => new ObjectLink(d.Id.Value, d.Name)).SingleAsync(cancellationToken);
        return new NetworkSummary(new CenterNetworkDto(network.Id.Value, network.Name, network.DatacenterId.Value), datacenter);
    }

    private static InventoryId RequireKind(InventoryScope scope, string id, InventoryObjectKind kind)
    {
        var parsed = InventoryId.TryParse(id, out var value) && value.Kind == kind ? value : throw InventoryScope.NotFound(id);
        scope.RequireVisible(parsed);
        return parsed;
    }

    /// <summary>The VM record when the user may see it (both inheritance paths, as the API's GET decides); "not found" otherwise.</summary>
    private async Task<VmRecord> VisibleVmAsync(AuthenticatedUser user, InventoryId id, CancellationToken cancellationToken)
    {
        var vm = id.Kind == InventoryObjectKind.Vm ? await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken) : null;
        if (vm is null || !await access.HasAsync(user.Name, vm.Id, Privileges.SystemView, cancellationToken))
        {
            throw new DomainException(new DomainError(ErrorCodes.VmNotFound, $"no VM '{id}' (or no permission to see it)", "id"));
        }

        return vm;
    }

    private static async Task<VmCounts> CountVmsAsync(IQueryable<VmRecord> vms, CancellationToken cancellationToken)
    {
        var byState = await vms.GroupBy(v => v.PowerState).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new VmCounts(
            byState.Sum(s => s.Count),
            byState.Where(s => s.Key == VmPowerState.PoweredOn).Sum(s => s.Count),
            byState.Where(s => s.Key == VmPowerState.Suspended).Sum(s => s.Count));
    }

    /// <summary>The newest realtime value of a counter within the last five minutes, or null.</summary>
    private Task<double?> LatestAsync(InventoryId id, string counter, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - TimeSpan.FromMinutes(5);
        return db.MetricSamples.AsNoTracking()
            .Where(m => m.ObjectId == id && m.Counter == counter && m.Level == MetricLevel.Realtime && m.Time >= since)
            .OrderByDescending(m => m.Time).Select(m => (double?)m.Value).FirstOrDefaultAsync(cancellationToken);
    }
}
