using Hyperion.Center.Persistence;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>
/// The path from an inventory object up to the root folder, as permission evaluation walks it:
/// VM → its VM folders → datacenter; host → cluster or host folder → … → datacenter; datastore and network →
/// datacenter; datacenter → its datacenter folders → root folder. A VM registered on a host also inherits along a
/// second path, VM → host → cluster or host folder → … (<see cref="GetPathsAsync"/>), as vSphere VMs inherit through
/// their host and cluster too.
/// </summary>
public static class InventoryAncestry
{
    /// <summary>Deeper than any real tree; stops a corrupt parent cycle from looping forever.</summary>
    private const int MaxDepth = 128;

    /// <returns>The object first and the root folder last; empty when the object does not exist.</returns>
    public static async Task<IReadOnlyList<InventoryId>> GetAsync(CenterDbContext db, InventoryId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var path = new List<InventoryId>();
        InventoryId? current = id;
        while (current is { } at)
        {
            if (path.Count == MaxDepth || path.Contains(at))
            {
                throw new InvalidOperationException($"inventory parent chain of {id} loops or is deeper than {MaxDepth}");
            }

            var found = await ParentOfAsync(db, at, cancellationToken);
            if (!found.Exists)
            {
                return path.Count == 0 ? [] : throw new InvalidOperationException($"inventory parent chain of {id} names missing object {at}");
            }

            path.Add(at);
            current = found.Parent;
        }

        return path;
    }

    /// <returns>The paths permission evaluation walks: <see cref="GetAsync"/>'s, plus for a VM on a host the path through the host.</returns>
    public static async Task<IReadOnlyList<IReadOnlyList<InventoryId>>> GetPathsAsync(CenterDbContext db, InventoryId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var main = await GetAsync(db, id, cancellationToken);
        if (id.Kind != InventoryObjectKind.Vm || main.Count == 0)
        {
            return [main];
        }

        var hostId = await db.Vms.AsNoTracking().Where(v => v.Id == id).Select(v => v.HostId).SingleOrDefaultAsync(cancellationToken);
        if (hostId is not { } host)
        {
            return [main];
        }

        var hostPath = await GetAsync(db, host, cancellationToken);
        return hostPath.Count == 0 ? [main] : [main, [id, .. hostPath]];
    }

    private static async Task<(bool Exists, InventoryId? Parent)> ParentOfAsync(CenterDbContext db, InventoryId id, CancellationToken cancellationToken)
    {
        if (!InventoryId.TryParse(id.Value, out _))
        {
            return (false, null);
        }

        switch (id.Kind)
        {
            case InventoryObjectKind.Vm:
                var vm = await db.Vms.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.FolderId }).SingleOrDefaultAsync(cancellationToken);
                return vm is null ? (false, null) : (true, vm.FolderId);
            case InventoryObjectKind.Host:
                var host = await db.Hosts.AsNoTracking().Where(h => h.Id == id).Select(h => new { h.ClusterId, h.FolderId }).SingleOrDefaultAsync(cancellationToken);
                return host is null ? (false, null) : (true, host.ClusterId ?? host.FolderId);
            case InventoryObjectKind.Cluster:
                var cluster = await db.Clusters.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.FolderId }).SingleOrDefaultAsync(cancellationToken);
                return cluster is null ? (false, null) : (true, cluster.FolderId);
            case InventoryObjectKind.Folder:
                var folder = await db.Folders.AsNoTracking().Where(f => f.Id == id).Select(f => new { f.ParentFolderId, f.DatacenterId }).SingleOrDefaultAsync(cancellationToken);
                return folder is null ? (false, null) : (true, folder.ParentFolderId ?? folder.DatacenterId);
            case InventoryObjectKind.Datacenter:
                var datacenter = await db.Datacenters.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.ParentFolderId }).SingleOrDefaultAsync(cancellationToken);
                return datacenter is null ? (false, null) : (true, datacenter.ParentFolderId);
            case InventoryObjectKind.Datastore:
                var datastore = await db.Datastores.AsNoTracking().Where(d => d.Id == id).Select(d => new { d.DatacenterId }).SingleOrDefaultAsync(cancellationToken);
                return datastore is null ? (false, null) : (true, datastore.DatacenterId);
            case InventoryObjectKind.Network:
                var network = await db.Networks.AsNoTracking().Where(n => n.Id == id).Select(n => new { n.DatacenterId }).SingleOrDefaultAsync(cancellationToken);
                return network is null ? (false, null) : (true, network.DatacenterId);
            default:
                return (false, null);
        }
    }
}
