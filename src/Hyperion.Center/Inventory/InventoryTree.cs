using Hyperion.Center.Persistence;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>
/// The parent links of every inventory object except VMs (folders, datacenters, clusters, hosts, datastores,
/// networks), read in one query per table — a few hundred rows for a 100-host estate — so many objects' ancestries can
/// be walked in memory. The links are those of <see cref="InventoryAncestry"/>; VMs are left out because they are the
/// bulk of the inventory and a VM row already names its folder.
/// </summary>
public sealed class InventoryTree
{
    private readonly Dictionary<InventoryId, InventoryId?> _parents;
    private readonly Dictionary<InventoryId, FolderKind> _folderKinds;
    private Dictionary<InventoryId, List<InventoryId>>? _children;

    private InventoryTree(Dictionary<InventoryId, InventoryId?> parents, Dictionary<InventoryId, FolderKind> folderKinds)
    {
        _parents = parents;
        _folderKinds = folderKinds;
    }

    /// <summary>Every object in the tree.</summary>
    public IEnumerable<InventoryId> Objects => _parents.Keys;

    public static async Task<InventoryTree> LoadAsync(CenterDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var parents = new Dictionary<InventoryId, InventoryId?>();
        var folderKinds = new Dictionary<InventoryId, FolderKind>();
        foreach (var f in await db.Folders.AsNoTracking().Select(f => new { f.Id, f.ParentFolderId, f.DatacenterId, f.Kind }).ToListAsync(cancellationToken))
        {
            parents[f.Id] = f.ParentFolderId ?? f.DatacenterId;
            folderKinds[f.Id] = f.Kind;
        }

        foreach (var d in await db.Datacenters.AsNoTracking().Select(d => new { d.Id, d.ParentFolderId }).ToListAsync(cancellationToken))
        {
            parents[d.Id] = d.ParentFolderId;
        }

        foreach (var c in await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.FolderId }).ToListAsync(cancellationToken))
        {
            parents[c.Id] = c.FolderId;
        }

        foreach (var h in await db.Hosts.AsNoTracking().Select(h => new { h.Id, h.ClusterId, h.FolderId }).ToListAsync(cancellationToken))
        {
            parents[h.Id] = h.ClusterId ?? h.FolderId;
        }

        foreach (var d in await db.Datastores.AsNoTracking().Select(d => new { d.Id, d.DatacenterId }).ToListAsync(cancellationToken))
        {
            parents[d.Id] = d.DatacenterId;
        }

        foreach (var n in await db.Networks.AsNoTracking().Select(n => new { n.Id, n.DatacenterId }).ToListAsync(cancellationToken))
        {
            parents[n.Id] = n.DatacenterId;
        }

        return new InventoryTree(parents, folderKinds);
    }

    public bool Contains(InventoryId id) => _parents.ContainsKey(id);

    /// <summary>The parent of <paramref name="id"/>; null for the root folder and for objects not in the tree (VMs included).</summary>
    public InventoryId? ParentOf(InventoryId id) => _parents.GetValueOrDefault(id);

    public FolderKind? FolderKindOf(InventoryId id) => _folderKinds.TryGetValue(id, out var kind) ? kind : null;

    /// <summary>The folders of <paramref name="kind"/>.</summary>
    public IEnumerable<InventoryId> Folders(FolderKind kind) => _folderKinds.Where(f => f.Value == kind).Select(f => f.Key);

    /// <summary><paramref name="id"/> and everything below it in the tree, breadth first.</summary>
    public IReadOnlyList<InventoryId> Subtree(InventoryId id)
    {
        _children ??= _parents.Where(p => p.Value is not null).GroupBy(p => p.Value!.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
        var result = new List<InventoryId> { id };
        var seen = new HashSet<InventoryId> { id };
        for (var i = 0; i < result.Count; i++)
        {
            if (_children.TryGetValue(result[i], out var below))
            {
                result.AddRange(below.Where(seen.Add));
            }
        }

        return result;
    }
}
