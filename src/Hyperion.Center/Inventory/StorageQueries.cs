using Hyperion.Center.Authorization;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>Datastores and networks of the datacenters the user may see, by name, one keyset page at a time.</summary>
public sealed class StorageQueries(CenterDbContext db, AccessControl access)
{
    private static readonly KeysetOrder<DatastoreRecord> DatastoreOrder = KeysetOrder<DatastoreRecord>.By(d => d.Name).ThenBy(d => d.Id);
    private static readonly KeysetOrder<NetworkRecord> NetworkOrder = KeysetOrder<NetworkRecord>.By(n => n.Name).ThenBy(n => n.Id);

    public async Task<PageDto<CenterDatastoreDto>> ListDatastoresAsync(AuthenticatedUser actor, string? datacenter, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        IQueryable<DatastoreRecord> datastores = db.Datastores.AsNoTracking();
        if (datacenter is not null)
        {
            var ids = await DatacentersAsync(datacenter, cancellationToken);
            datastores = datastores.Where(d => ids.Contains(d.DatacenterId));
        }

        datastores = NameMatch.Containing(datastores, d => d.Name, name);
        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        datastores = visibility.Filter(datastores, InventoryObjectKind.Datastore, d => d.Id, d => d.DatacenterId, Datacenters);
        return await datastores.ToPageAsync(
            DatastoreOrder,
            page,
            async (rows, ct) =>
            {
                var ids = rows.Select(d => d.Id).ToList();
                var mounts = await db.DatastoreMounts.AsNoTracking().Where(m => ids.Contains(m.DatastoreId)).ToListAsync(ct);
                return rows.Select(d => new CenterDatastoreDto(
                    d.Id.Value, d.Name, d.DatacenterId.Value, d.Type, d.CapacityBytes, d.FreeBytes,
                    mounts.Where(m => m.DatastoreId == d.Id).Select(m => m.HostId.Value).Order(StringComparer.Ordinal).ToList())).ToList();
            },
            cancellationToken);
    }

    public async Task<PageDto<CenterNetworkDto>> ListNetworksAsync(AuthenticatedUser actor, string? datacenter, string? name, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        IQueryable<NetworkRecord> networks = db.Networks.AsNoTracking();
        if (datacenter is not null)
        {
            var ids = await DatacentersAsync(datacenter, cancellationToken);
            networks = networks.Where(n => ids.Contains(n.DatacenterId));
        }

        networks = NameMatch.Containing(networks, n => n.Name, name);
        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        networks = visibility.Filter(networks, InventoryObjectKind.Network, n => n.Id, n => n.DatacenterId, Datacenters);
        return await networks.ToPageAsync(NetworkOrder, page, n => new CenterNetworkDto(n.Id.Value, n.Name, n.DatacenterId.Value), cancellationToken);
    }

    private static IEnumerable<InventoryId> Datacenters(InventoryTree tree) => tree.Objects.Where(o => o.Kind == InventoryObjectKind.Datacenter);

    private async Task<List<InventoryId>> DatacentersAsync(string idOrName, CancellationToken cancellationToken) =>
        InventoryId.TryParse(idOrName, out var id) && id.Kind == InventoryObjectKind.Datacenter
            ? [id]
            : await db.Datacenters.AsNoTracking().Where(d => d.Name == idOrName).Select(d => d.Id).ToListAsync(cancellationToken);
}
