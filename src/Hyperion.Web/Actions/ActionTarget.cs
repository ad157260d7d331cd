using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// What the action rules need to know about an inventory object: its kind and name, the signed-in user's effective
/// privileges on it, and the state that decides which operations apply (a VM's power state and its host's; a host's
/// connection and maintenance state; a folder's kind). Datacenters also carry their root host and VM folders, where
/// their creations happen, with the user's privileges there.
/// </summary>
public sealed record ActionTarget(string Id, InventoryObjectKind Kind, string Name, IReadOnlySet<string> Privileges)
{
    /// <summary>A VM's power state.</summary>
    public VmPowerState? PowerState { get; init; }

    /// <summary>A VM that is a template: deployed or cloned from, never powered on, snapshotted or changed.</summary>
    public bool IsTemplate { get; init; }

    /// <summary>A VM's host (its display name), or the host itself.</summary>
    public string? HostName { get; init; }

    /// <summary>The connection state of a VM's host or of the host itself; null for a VM on no host.</summary>
    public HostConnectionState? HostConnection { get; init; }

    public bool HostInMaintenance { get; init; }

    /// <summary>A folder's kind.</summary>
    public FolderKind? FolderKind { get; init; }

    /// <summary>True for a datacenter's root host or VM folder (where clusters and standalone hosts are created).</summary>
    public bool IsDatacenterRootFolder { get; init; }

    /// <summary>The datacenter the object is in (null for the root folder and datacenter folders).</summary>
    public string? DatacenterId { get; init; }

    public string? DatacenterName { get; init; }

    /// <summary>The datacenter's root VM folder and the user's privileges there (datacenters and objects in one).</summary>
    public string? VmFolderId { get; init; }

    public IReadOnlySet<string> VmFolderPrivileges { get; init; } = new HashSet<string>();

    /// <summary>The datacenter's root host folder and the user's privileges there.</summary>
    public string? HostFolderId { get; init; }

    public IReadOnlySet<string> HostFolderPrivileges { get; init; } = new HashSet<string>();

    public bool IsRootFolder => Id == InventoryId.RootFolder.Value;
}
