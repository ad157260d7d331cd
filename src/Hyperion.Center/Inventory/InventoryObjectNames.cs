using Hyperion.Center.Persistence;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Inventory;

/// <summary>The display name of any inventory object (a host's is its address, as in vCenter), for events.</summary>
public static class InventoryObjectNames
{
    /// <returns>The name; null when the object does not exist.</returns>
    public static async Task<string?> GetAsync(CenterDbContext db, InventoryId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!InventoryId.TryParse(id.Value, out _))
        {
            return null;
        }

        return id.Kind switch
        {
            InventoryObjectKind.Vm => await db.Vms.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Host => await db.Hosts.AsNoTracking().Where(x => x.Id == id).Select(x => x.Address).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Cluster => await db.Clusters.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Folder => await db.Folders.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Datacenter => await db.Datacenters.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Datastore => await db.Datastores.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            InventoryObjectKind.Network => await db.Networks.AsNoTracking().Where(x => x.Id == id).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken),
            _ => null,
        };
    }
}
