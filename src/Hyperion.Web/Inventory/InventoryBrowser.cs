using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Web.Inventory;

/// <summary>
/// The web client's inventory reads: a tree node's children (loaded one node at a time, VMs limited per node), the VMs
/// of any container one page at a time, and the hosts of a container. Visibility is the API's: the objects the user
/// holds <see cref="Privileges.SystemView"/> on, decided by <see cref="VisibilityEvaluator"/> (in SQL for VMs).
/// </summary>
public sealed class InventoryBrowser(CenterDbContext db, AccessControl access)
{
    /// <summary>How many VMs a tree node lists before it links to its VMs tab instead.</summary>
    public const int TreeVmLimit = 200;

    private const string DatastoreGroupPrefix = "datastores:";
    private const string NetworkGroupPrefix = "networks:";

    public async Task<InventoryScope> ScopeAsync(AuthenticatedUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tree = await access.TreeAsync(cancellationToken);
        var visibility = await access.VisibilityAsync(user.Name, Privileges.SystemView, cancellationToken);
        return new InventoryScope(tree, visibility);
    }

    /// <summary>The children of the node <paramref name="key"/> (null: the top of the tree).</summary>
    public async Task<InventoryChildren> ChildrenAsync(AuthenticatedUser user, string? key, int vmLimit, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(user, cancellationToken);
        if (key is not null && key.StartsWith(DatastoreGroupPrefix, StringComparison.Ordinal))
        {
            var datacenter = ParseScope(key[DatastoreGroupPrefix.Length..], scope);
            return new InventoryChildren(await NodesAsync(scope, scope.ShownUnder(datacenter).Where(o => o.Kind == InventoryObjectKind.Datastore).ToList(), cancellationToken));
        }

        if (key is not null && key.StartsWith(NetworkGroupPrefix, StringComparison.Ordinal))
        {
            var datacenter = ParseScope(key[NetworkGroupPrefix.Length..], scope);
            return new InventoryChildren(await NodesAsync(scope, scope.ShownUnder(datacenter).Where(o => o.Kind == InventoryObjectKind.Network).ToList(), cancellationToken));
        }

        InventoryId? parent = key is null ? null : ParseScope(key, scope);
        var shown = scope.ShownUnder(parent).ToList();
        var objects = parent is { Kind: InventoryObjectKind.Datacenter }
            ? shown.Where(o => o.Kind is not (InventoryObjectKind.Datastore or InventoryObjectKind.Network)).ToList()
            : shown;
        var nodes = await NodesAsync(scope, objects, cancellationToken);
        if (parent is { Kind: InventoryObjectKind.Datacenter } dc)
        {
            var datastores = shown.Count(o => o.Kind == InventoryObjectKind.Datastore);
            var networks = shown.Count(o => o.Kind == InventoryObjectKind.Network);
            if (datastores > 0)
            {
                nodes.Add(new InventoryNode(DatastoreGroupPrefix + dc.Value, "Datastores", InventoryNodeKind.DatastoreGroup, null, true, Count: datastores));
            }

            if (networks > 0)
            {
                nodes.Add(new InventoryNode(NetworkGroupPrefix + dc.Value, "Networks", InventoryNodeKind.NetworkGroup, null, true, Count: networks));
            }
        }

        IQueryable<VmRecord>? vms = parent switch
        {
            { Kind: InventoryObjectKind.Host } host => db.Vms.Where(v => v.HostId == host),
            { Kind: InventoryObjectKind.Folder } folder when scope.Tree.FolderKindOf(folder) == FolderKind.Vm => db.Vms.Where(v => v.FolderId == folder),
            _ => null,
        };
        if (vms is null)
        {
            return new InventoryChildren(nodes);
        }

        vms = scope.Visibility.FilterVms(vms.AsNoTracking());
        var total = await vms.CountAsync(cancellationToken);
        var page = await vms.OrderBy(v => v.Name).ThenBy(v => v.Id).Take(vmLimit)
            .Select(v => new { v.Id, v.Name, v.PowerState, v.IsTemplate }).ToListAsync(cancellationToken);
        nodes.AddRange(page.Select(v => new InventoryNode(v.Id.Value, v.Name, InventoryNodeKind.Vm, v.Id.Value, false, VmStateText(v.PowerState, v.IsTemplate))));
        return new InventoryChildren(nodes, total, total > page.Count ? parent!.Value.Value : null);
    }

    /// <summary>
    /// The nodes from the top of the tree down to <paramref name="id"/>'s parent, in order: what to expand to reveal it.
    /// A VM is revealed under its host when the host is visible, else under its folder. Empty when it is not visible.
    /// </summary>
    public async Task<IReadOnlyList<string>> PathToAsync(AuthenticatedUser user, string id, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(user, cancellationToken);
        if (!InventoryId.TryParse(id, out var target))
        {
            return [];
        }

        InventoryId? start;
        var path = new List<string>();
        if (target.Kind == InventoryObjectKind.Vm)
        {
            var vm = await db.Vms.AsNoTracking().Where(v => v.Id == target).Select(v => new { v.HostId, v.FolderId }).SingleOrDefaultAsync(cancellationToken);
            if (vm is null)
            {
                return [];
            }

            start = vm.HostId is { } host && scope.Visible(host) ? host : scope.Visible(vm.FolderId) ? vm.FolderId : scope.DisplayParentOf(vm.FolderId);
            if (start is { } s)
            {
                path.Add(s.Value);
            }
        }
        else if (scope.Visible(target))
        {
            start = scope.DisplayParentOf(target);
            if (target.Kind is InventoryObjectKind.Datastore or InventoryObjectKind.Network && start is { Kind: InventoryObjectKind.Datacenter } dc)
            {
                path.Add((target.Kind == InventoryObjectKind.Datastore ? DatastoreGroupPrefix : NetworkGroupPrefix) + dc.Value);
            }

            if (start is { } s)
            {
                path.Add(s.Value);
            }
        }
        else
        {
            return [];
        }

        for (var at = start is { } first ? scope.DisplayParentOf(first) : null; at is { } p && p != InventoryId.RootFolder; at = scope.DisplayParentOf(p))
        {
            path.Add(p.Value);
        }

        path.Reverse();
        return path;
    }

    /// <summary>The VMs under <paramref name="scopeId"/> the user may see, by name, rows <paramref name="offset"/> onwards.</summary>
    public async Task<VmRowPage> VmsAsync(AuthenticatedUser user, string scopeId, string? name, int offset, int count, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(user, cancellationToken);
        var id = ParseScope(scopeId, scope);
        var vms = VmsUnder(scope, id);
        vms = Center.Paging.NameMatch.Containing(vms, v => v.Name, string.IsNullOrWhiteSpace(name) ? null : name.Trim());
        var total = await vms.CountAsync(cancellationToken);
        var rows = await vms.OrderBy(v => v.Name).ThenBy(v => v.Id).Skip(Math.Max(0, offset)).Take(Math.Clamp(count, 1, 1000))
            .Select(v => new { v.Id, v.Name, v.PowerState, v.IsTemplate, v.HostId, v.Cpus, v.MemoryMiB }).ToListAsync(cancellationToken);
        var hostIds = rows.Where(r => r.HostId != null).Select(r => r.HostId).Distinct().ToList();
        var hosts = await db.Hosts.AsNoTracking().Where(h => hostIds.Contains(h.Id)).Select(h => new { h.Id, h.Address }).ToDictionaryAsync(h => h.Id, h => h.Address, cancellationToken);
        return new VmRowPage(
            rows.Select(r => new VmRow(r.Id.Value, r.Name, PowerStateText(r.PowerState), r.HostId?.Value, r.HostId is { } h && scope.Visible(h) ? hosts.GetValueOrDefault(h) : null, r.Cpus, r.MemoryMiB) { Template = r.IsTemplate }).ToList(),
            total);
    }

    /// <summary>The visible VMs under a container: by folder for datacenters and VM folders, by host for clusters, hosts and host folders.</summary>
    public IQueryable<VmRecord> VmsUnder(InventoryScope scope, InventoryId id)
    {
        ArgumentNullException.ThrowIfNull(scope);
        IQueryable<VmRecord> vms = db.Vms.AsNoTracking();
        switch (id.Kind)
        {
            case InventoryObjectKind.Host:
                vms = vms.Where(v => v.HostId == id);
                break;
            case InventoryObjectKind.Datastore:
                vms = vms.Where(v => v.DatastoreId == id);
                break;
            case InventoryObjectKind.Cluster:
            case InventoryObjectKind.Folder when scope.Tree.FolderKindOf(id) == FolderKind.Host:
                var hosts = scope.HostsBelow(id).Select(h => (InventoryId?)h).ToList();
                vms = vms.Where(v => hosts.Contains(v.HostId));
                break;
            case InventoryObjectKind.Network:
                return vms.Where(v => false); // NICs are the hosts' (not recorded in the Center): no VM list by network.
            default:
                if (id != InventoryId.RootFolder)
                {
                    var folders = scope.VmFoldersBelow(id);
                    vms = vms.Where(v => folders.Contains(v.FolderId));
                }

                break;
        }

        return scope.Visibility.FilterVms(vms);
    }

    /// <summary>The visible hosts under a container (a datacenter, host folder, cluster or the root folder), by address.</summary>
    public async Task<IReadOnlyList<HostRecord>> HostsAsync(InventoryScope scope, InventoryId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var ids = scope.Below(id, InventoryObjectKind.Host);
        return await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).OrderBy(h => h.Address).ThenBy(h => h.Port).ToListAsync(cancellationToken);
    }

    /// <summary>The hosts under a datacenter, folder or cluster the user may see, with their cluster names and VM counts (two more queries).</summary>
    public async Task<IReadOnlyList<HostRow>> HostRowsAsync(AuthenticatedUser user, string scopeId, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(user, cancellationToken);
        var hosts = await HostsAsync(scope, ParseScope(scopeId, scope), cancellationToken);
        var ids = hosts.Select(h => (InventoryId?)h.Id).ToList();
        var counts = await db.Vms.AsNoTracking().Where(v => ids.Contains(v.HostId)).GroupBy(v => v.HostId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
        var clusterIds = hosts.Where(h => h.ClusterId != null).Select(h => h.ClusterId!.Value).Distinct().ToList();
        var clusters = await db.Clusters.AsNoTracking().Where(c => clusterIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return hosts.Select(h => new HostRow(
            h.Id.Value, h.Address, h.InMaintenanceMode ? "maintenance" : ConnectionText(h),
            h.ClusterId is { } c ? clusters.GetValueOrDefault(c) : null, counts.GetValueOrDefault(h.Id), h.LastHeartbeatAt)).ToList();
    }

    /// <summary>How a VM's state shows in the tree, lists and headers: <see cref="TemplateState"/> for a template (always powered off), else its power state.</summary>
    public static string VmStateText(VmPowerState state, bool template) => template ? TemplateState : PowerStateText(state);

    /// <summary>The display state of a template.</summary>
    public const string TemplateState = "template";

    public static string PowerStateText(VmPowerState state) => state switch
    {
        VmPowerState.PoweredOn => "poweredOn",
        VmPowerState.Suspended => "suspended",
        _ => "poweredOff",
    };

    public static string ConnectionText(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.ConnectionState switch
        {
            HostConnectionState.Connected => "connected",
            HostConnectionState.NotResponding => "notResponding",
            _ => "disconnected",
        };
    }

    private static InventoryId ParseScope(string text, InventoryScope scope)
    {
        if (!InventoryId.TryParse(text, out var id) || id.Kind == InventoryObjectKind.Vm)
        {
            throw InventoryScope.NotFound(text);
        }

        // The root folder stands for "everything the user may see", whether or not the root itself is visible.
        if (id != InventoryId.RootFolder)
        {
            scope.RequireVisible(id);
        }

        return id;
    }

    /// <summary>Nodes for tree objects (not VMs), with names and states read in one query per kind present, ordered as vSphere lists them.</summary>
    private async Task<List<InventoryNode>> NodesAsync(InventoryScope scope, List<InventoryId> ids, CancellationToken cancellationToken)
    {
        var nodes = new List<InventoryNode>();
        if (ids.Count == 0)
        {
            return nodes;
        }

        var byKind = ids.GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.ToList());
        if (byKind.TryGetValue(InventoryObjectKind.Folder, out var folders))
        {
            var rows = await db.Folders.AsNoTracking().Where(f => folders.Contains(f.Id)).Select(f => new { f.Id, f.Name, f.Kind }).ToListAsync(cancellationToken);
            var vmCounts = await VmCountsAsync(scope, rows.Where(f => f.Kind == FolderKind.Vm).Select(f => f.Id).ToList(), byFolder: true, cancellationToken);
            nodes.AddRange(rows.Select(f => new InventoryNode(
                f.Id.Value,
                scope.IsRootVmFolder(f.Id) ? "Virtual Machines" : f.Name,
                InventoryNodeKind.Folder,
                f.Id.Value,
                scope.ShownUnder(f.Id).Any() || vmCounts.GetValueOrDefault(f.Id) > 0,
                Count: f.Kind == FolderKind.Vm ? vmCounts.GetValueOrDefault(f.Id) : null)));
        }

        if (byKind.TryGetValue(InventoryObjectKind.Datacenter, out var datacenters))
        {
            var rows = await db.Datacenters.AsNoTracking().Where(d => datacenters.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
            nodes.AddRange(rows.Select(d => new InventoryNode(d.Id.Value, d.Name, InventoryNodeKind.Datacenter, d.Id.Value, true)));
        }

        if (byKind.TryGetValue(InventoryObjectKind.Cluster, out var clusters))
        {
            var rows = await db.Clusters.AsNoTracking().Where(c => clusters.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken);
            nodes.AddRange(rows.Select(c => new InventoryNode(c.Id.Value, c.Name, InventoryNodeKind.Cluster, c.Id.Value, scope.ShownUnder(c.Id).Any())));
        }

        if (byKind.TryGetValue(InventoryObjectKind.Host, out var hosts))
        {
            var rows = await db.Hosts.AsNoTracking().Where(h => hosts.Contains(h.Id)).ToListAsync(cancellationToken);
            var vmCounts = await VmCountsAsync(scope, hosts, byFolder: false, cancellationToken);
            nodes.AddRange(rows.Select(h => new InventoryNode(
                h.Id.Value, h.Address, InventoryNodeKind.Host, h.Id.Value, vmCounts.GetValueOrDefault(h.Id) > 0,
                h.InMaintenanceMode ? "maintenance" : ConnectionText(h), vmCounts.GetValueOrDefault(h.Id))));
        }

        if (byKind.TryGetValue(InventoryObjectKind.Datastore, out var datastores))
        {
            var rows = await db.Datastores.AsNoTracking().Where(d => datastores.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
            nodes.AddRange(rows.Select(d => new InventoryNode(d.Id.Value, d.Name, InventoryNodeKind.Datastore, d.Id.Value, false)));
        }

        if (byKind.TryGetValue(InventoryObjectKind.Network, out var networks))
        {
            var rows = await db.Networks.AsNoTracking().Where(n => networks.Contains(n.Id)).Select(n => new { n.Id, n.Name }).ToListAsync(cancellationToken);
            nodes.AddRange(rows.Select(n => new InventoryNode(n.Id.Value, n.Name, InventoryNodeKind.Network, n.Id.Value, false)));
        }

        return nodes.OrderBy(n => n.Kind == InventoryNodeKind.Folder && scope.IsRootVmFolder(InventoryId.Parse(n.Key)) ? 4 : Rank(n.Kind)).ThenBy(n => n.Name, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Visible VMs per folder or per host, in one grouped query.</summary>
    private async Task<Dictionary<InventoryId, int>> VmCountsAsync(InventoryScope scope, List<InventoryId> containers, bool byFolder, CancellationToken cancellationToken)
    {
        if (containers.Count == 0)
        {
            return [];
        }

        var vms = scope.Visibility.FilterVms(db.Vms.AsNoTracking());
        if (byFolder)
        {
            return await vms.Where(v => containers.Contains(v.FolderId)).GroupBy(v => v.FolderId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        }

        var hosts = containers.Select(c => (InventoryId?)c).ToList();
        return await vms.Where(v => hosts.Contains(v.HostId)).GroupBy(v => v.HostId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
    }

    private static int Rank(InventoryNodeKind kind) => kind switch
    {
        InventoryNodeKind.Folder => 0,
        InventoryNodeKind.Datacenter => 1,
        InventoryNodeKind.Cluster => 2,
        InventoryNodeKind.Host => 3,
        InventoryNodeKind.Datastore => 5,
        InventoryNodeKind.Network => 6,
        _ => 4,
    };
}
