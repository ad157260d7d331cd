using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>
/// A VM in the Center's inventory. Name unique within its VM folder (vSphere's rule); UUID unique in the Center;
/// <see cref="HostLocalId"/> unique per host. Power state and config summary are as the host last reported them.
/// </summary>
public sealed class VmRecord
{
    public InventoryId Id { get; set; }

    public required string Name { get; set; }

    /// <summary>A folder of kind <see cref="FolderKind.Vm"/>.</summary>
    public InventoryId FolderId { get; set; }

    /// <summary>The host it is registered on; null while it is on none (being placed, or its host was removed).</summary>
    public InventoryId? HostId { get; set; }

    /// <summary>The datastore holding its folder.</summary>
    public InventoryId? DatastoreId { get; set; }

    /// <summary>The VM's id on its host (<c>vm-3</c> in the host agent's own numbering).</summary>
    public VmId? HostLocalId { get; set; }

    public Guid Uuid { get; set; }

    public VmPowerState PowerState { get; set; }

    public int Cpus { get; set; }

    public long MemoryMiB { get; set; }

    /// <summary>A template (as its host reports it): listed with the templates, never powered on.</summary>
    public bool IsTemplate { get; set; }

    /// <summary>HA restart priority as the host reports it (<c>high</c>, <c>medium</c>, <c>low</c>, <c>disabled</c>); not <c>disabled</c>: protected.</summary>
    public string RestartPriority { get; set; } = "medium";
}
