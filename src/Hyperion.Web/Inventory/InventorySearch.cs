using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Security;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Web.Inventory;

/// <summary>One object a search found; <see cref="Detail"/> is a short context (a VM's host, a host's state…).</summary>
public sealed record SearchHit(string Id, string Name, string? State, string? Detail);

/// <summary>The objects of one kind a search found: the first <see cref="Hits"/> of <see cref="Total"/>.</summary>
public sealed record SearchGroup(InventoryObjectKind Kind, IReadOnlyList<SearchHit> Hits, int Total);

/// <summary>
/// Finds inventory objects of every kind whose name contains a text (ASCII case-insensitive, as the API's
/// <c>?name=</c> filters), among the objects the user may see, a limited number per kind.
/// </summary>
public sealed class InventorySearch(CenterDbContext db, InventoryBrowser browser)
{
    public const int DefaultLimit = 50;

    public async Task<IReadOnlyList<SearchGroup>> FindAsync(AuthenticatedUser user, string text, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var part = text?.Trim();
        if (string.IsNullOrEmpty(part))
        {
            return [];
        }

        var scope = await browser.ScopeAsync(user, cancellationToken);
        var groups = new List<SearchGroup>();

        void Add(InventoryObjectKind kind, IEnumerable<SearchHit> found)
        {
            var visible = found.Where(h => scope.Visible(InventoryId.Parse(h.Id))).ToList();
            if (visible.Count > 0)
            {
                groups.Add(new SearchGroup(kind, visible.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).Take(limit).ToList(), visible.Count));
            }
        }

        Add(InventoryObjectKind.Datacenter, await NameMatch.Containing(db.Datacenters.AsNoTracking(), d => d.Name, part)
            .Select(d => new SearchHit(d.Id.Value, d.Name, null, null)).ToListAsync(cancellationToken));

        // A datacenter's root host and VM folders are not shown as folders (the tree shows their contents).
        Add(InventoryObjectKind.Folder, (await NameMatch.Containing(db.Folders.AsNoTracking().Where(f => f.ParentFolderId != null), f => f.Name, part)
            .Select(f => new { f.Id, f.Name, f.Kind }).ToListAsync(cancellationToken))
            .Select(f => new SearchHit(f.Id.Value, f.Name, null, f.Kind.ToString().ToLowerInvariant() + " folder")));

        Add(InventoryObjectKind.Cluster, await NameMatch.Containing(db.Clusters.AsNoTracking(), c => c.Name, part)
            .Select(c => new SearchHit(c.Id.Value, c.Name, null, null)).ToListAsync(cancellationToken));

        Add(InventoryObjectKind.Host, (await NameMatch.Containing(db.Hosts.AsNoTracking(), h => h.Address, part).ToListAsync(cancellationToken))
            .Select(h => new SearchHit(h.Id.Value, h.Address, h.InMaintenanceMode ? "maintenance" : InventoryBrowser.ConnectionText(h), null)));

        var vms = await browser.VmsAsync(user, InventoryId.RootFolder.Value, part, 0, limit, cancellationToken);
        if (vms.Total > 0)
        {
            groups.Add(new SearchGroup(InventoryObjectKind.Vm, vms.Items.Select(v => new SearchHit(v.Id, v.Name, v.DisplayState, v.HostName)).ToList(), vms.Total));
        }

        Add(InventoryObjectKind.Datastore, await NameMatch.Containing(db.Datastores.AsNoTracking(), d => d.Name, part)
            .Select(d => new SearchHit(d.Id.Value, d.Name, null, d.Type)).ToListAsync(cancellationToken));

        Add(InventoryObjectKind.Network, await NameMatch.Containing(db.Networks.AsNoTracking(), n => n.Name, part)
            .Select(n => new SearchHit(n.Id.Value, n.Name, null, null)).ToListAsync(cancellationToken));
        return groups;
    }
}
