using System.Linq.Expressions;
using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>
/// Finds an inventory object by its path, as vSphere's inventory paths name them: <c>/</c> is the root folder, then
/// datacenter folders down to a datacenter, then <c>host</c> (its root host folder: folders, clusters, hosts by
/// address), <c>vm</c> (its root VM folder: folders and VMs), <c>datastore/NAME</c> or <c>network/NAME</c>.
/// An object the caller may not see (no <c>System.View</c>) is reported as missing, like one that does not exist.
/// </summary>
public sealed class InventoryPathResolver(CenterDbContext db, AccessControl access)
{
    private const string HostFolderSegment = "host";
    private const string VmFolderSegment = "vm";
    private const string DatastoreSegment = "datastore";
    private const string NetworkSegment = "network";

    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> for a path that is not absolute,
    /// <see cref="ErrorCodes.InventoryNotFound"/> when nothing visible answers to it.</exception>
    public async Task<InventoryObjectDto> ResolveAsync(string userName, string? path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"inventory path '{path}' must start with '/' (for example /DC1/host/Cluster1)", "path"));
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new Node(InventoryId.RootFolder, "Datacenters", NodeKind.DatacenterFolder, null);
        var canonical = new List<string>();
        foreach (var segment in segments)
        {
            current = await ChildAsync(current, segment, cancellationToken) ?? throw NotFound(path);
            canonical.Add(segment);
        }

        if (current.Kind is NodeKind.DatastoreList or NodeKind.NetworkList
            || !await access.HasAsync(userName, current.Id, Privileges.SystemView, cancellationToken))
        {
            throw NotFound(path);
        }

        return new InventoryObjectDto(current.Id.Value, current.Name, KindName(current), "/" + string.Join('/', canonical));
    }

    private async Task<Node?> ChildAsync(Node parent, string name, CancellationToken ct)
    {
        var id = parent.Id;
        switch (parent.Kind)
        {
            case NodeKind.DatacenterFolder:
                var folder = await db.Folders.AsNoTracking()
                    .Where(f => f.ParentFolderId == id && f.Kind == FolderKind.Datacenter && f.Name == name).Select(f => f.Id).FirstOrDefaultAsync(ct);
                if (folder != default)
                {
                    return new Node(folder, name, NodeKind.DatacenterFolder, null);
                }

                var datacenter = await db.Datacenters.AsNoTracking().Where(d => d.ParentFolderId == id && d.Name == name).Select(d => d.Id).FirstOrDefaultAsync(ct);
                return datacenter == default ? null : new Node(datacenter, name, NodeKind.Datacenter, datacenter);

            case NodeKind.Datacenter:
                return name switch
                {
                    HostFolderSegment => await RootFolderAsync(id, FolderKind.Host, NodeKind.HostFolder, ct),
                    VmFolderSegment => await RootFolderAsync(id, FolderKind.Vm, NodeKind.VmFolder, ct),
                    DatastoreSegment => new Node(id, name, NodeKind.DatastoreList, id),
                    NetworkSegment => new Node(id, name, NodeKind.NetworkList, id),
                    _ => null,
                };

            case NodeKind.HostFolder:
                var hostFolder = await db.Folders.AsNoTracking()
                    .Where(f => f.ParentFolderId == id && f.Kind == FolderKind.Host && f.Name == name).Select(f => f.Id).FirstOrDefaultAsync(ct);
                if (hostFolder != default)
                {
                    return new Node(hostFolder, name, NodeKind.HostFolder, parent.Datacenter);
                }

                var cluster = await db.Clusters.AsNoTracking().Where(c => c.FolderId == id && c.Name == name).Select(c => c.Id).FirstOrDefaultAsync(ct);
                if (cluster != default)
                {
                    return new Node(cluster, name, NodeKind.Cluster, parent.Datacenter);
                }

                return await HostAsync(h => h.FolderId == id, name, parent.Datacenter, ct);

            case NodeKind.Cluster:
                return await HostAsync(h => h.ClusterId == id, name, parent.Datacenter, ct);

            case NodeKind.VmFolder:
                var vmFolder = await db.Folders.AsNoTracking()
                    .Where(f => f.ParentFolderId == id && f.Kind == FolderKind.Vm && f.Name == name).Select(f => f.Id).FirstOrDefaultAsync(ct);
                if (vmFolder != default)
                {
                    return new Node(vmFolder, name, NodeKind.VmFolder, parent.Datacenter);
                }

                var vm = await db.Vms.AsNoTracking().Where(v => v.FolderId == id && v.Name == name).Select(v => v.Id).FirstOrDefaultAsync(ct);
                return vm == default ? null : new Node(vm, name, NodeKind.Leaf, parent.Datacenter);

            case NodeKind.DatastoreList:
                var datastore = await db.Datastores.AsNoTracking().Where(d => d.DatacenterId == id && d.Name == name).Select(d => d.Id).FirstOrDefaultAsync(ct);
                return datastore == default ? null : new Node(datastore, name, NodeKind.Leaf, id);

            case NodeKind.NetworkList:
                var network = await db.Networks.AsNoTracking().Where(n => n.DatacenterId == id && n.Name == name).Select(n => n.Id).FirstOrDefaultAsync(ct);
                return network == default ? null : new Node(network, name, NodeKind.Leaf, id);

            default:
                return null;
        }
    }

    private async Task<Node?> RootFolderAsync(InventoryId datacenter, FolderKind kind, NodeKind nodeKind, CancellationToken ct)
    {
        var folder = await db.Folders.AsNoTracking()
            .Where(f => f.DatacenterId == datacenter && f.ParentFolderId == null && f.Kind == kind)
            .Select(f => new { f.Id, f.Name }).FirstOrDefaultAsync(ct);
        return folder is null ? null : new Node(folder.Id, folder.Name, nodeKind, datacenter);
    }

    // A host's name in the inventory is its address, as HostDto.Name shows it.
    private async Task<Node?> HostAsync(Expression<Func<HostRecord, bool>> inParent, string name, InventoryId? datacenter, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().Where(inParent).Where(h => h.Address == name).Select(h => h.Id).FirstOrDefaultAsync(ct);
        return host == default ? null : new Node(host, name, NodeKind.Leaf, datacenter);
    }

    private static string KindName(Node node) => node.Id.Kind switch
    {
        InventoryObjectKind.Datacenter => "datacenter",
        InventoryObjectKind.Folder => "folder",
        InventoryObjectKind.Cluster => "cluster",
        InventoryObjectKind.Host => "host",
        InventoryObjectKind.Vm => "vm",
        InventoryObjectKind.Datastore => "datastore",
        InventoryObjectKind.Network => "network",
        _ => node.Id.Kind.ToString().ToLowerInvariant(),
    };

    private static DomainException NotFound(string path) =>
        new(new DomainError(ErrorCodes.InventoryNotFound, $"nothing at inventory path '{path}'", "path"));

    private enum NodeKind
    {
        DatacenterFolder,
        Datacenter,
        HostFolder,
        Cluster,
        VmFolder,
        DatastoreList,
        NetworkList,
        Leaf,
    }

    private sealed record Node(InventoryId Id, string Name, NodeKind Kind, InventoryId? Datacenter);
}
