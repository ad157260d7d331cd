namespace Hyperion.Domain.Inventory;

/// <summary>The kinds of managed object in the Center's inventory; each has its own id prefix (see <see cref="InventoryId"/>).</summary>
public enum InventoryObjectKind
{
    Datacenter,
    Folder,
    Cluster,
    Host,
    Vm,
    Datastore,
    Network,
}
