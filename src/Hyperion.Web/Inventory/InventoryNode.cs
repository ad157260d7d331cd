using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Inventory;

/// <summary>What a node of the inventory tree stands for: an inventory object, or a datacenter's datastore/network group.</summary>
public enum InventoryNodeKind
{
    Datacenter,
    Folder,
    Cluster,
    Host,
    Vm,
    Datastore,
    Network,
    DatastoreGroup,
    NetworkGroup,
}

/// <summary>
/// One node of the inventory tree. <see cref="Key"/> is unique among a parent's children (the object id, or
/// <c>datastores:datacenter-N</c> for a group); <see cref="ObjectId"/> is the object it opens (null for nothing);
/// <see cref="State"/> is a VM's power state (<c>template</c> for a template) or a host's connection state (<c>maintenance</c>
/// when in maintenance mode).
/// </summary>
public sealed record InventoryNode(string Key, string Name, InventoryNodeKind Kind, string? ObjectId, bool Expandable, string? State = null, int? Count = null)
{
    public static InventoryNodeKind KindOf(InventoryObjectKind kind) => kind switch
    {
        InventoryObjectKind.Datacenter => InventoryNodeKind.Datacenter,
        InventoryObjectKind.Folder => InventoryNodeKind.Folder,
        InventoryObjectKind.Cluster => InventoryNodeKind.Cluster,
        InventoryObjectKind.Host => InventoryNodeKind.Host,
        InventoryObjectKind.Vm => InventoryNodeKind.Vm,
        InventoryObjectKind.Datastore => InventoryNodeKind.Datastore,
        _ => InventoryNodeKind.Network,
    };
}

/// <summary>
/// The children of a tree node. A host or VM folder lists at most a limited number of VMs: <see cref="TotalVms"/> says
/// how many there are, and <see cref="AllVmsOf"/> the object whose VMs tab lists them all (null when all are shown).
/// </summary>
public sealed record InventoryChildren(IReadOnlyList<InventoryNode> Nodes, int TotalVms = 0, string? AllVmsOf = null);

/// <summary>A VM row of a VMs tab or a search.</summary>
public sealed record VmRow(string Id, string Name, string PowerState, string? HostId, string? HostName, int Cpus, long MemoryMiB)
{
    /// <summary>A template (always powered off, never started).</summary>
    public bool Template { get; init; }

    /// <summary>The state to show: <c>template</c> for a template, else the power state.</summary>
    public string DisplayState => Template ? InventoryBrowser.TemplateState : PowerState;
}

/// <summary>One page of VM rows and how many match in all.</summary>
public sealed record VmRowPage(IReadOnlyList<VmRow> Items, int Total);

/// <summary>A host row of a Hosts tab; <see cref="State"/> is its connection state, or <c>maintenance</c>.</summary>
public sealed record HostRow(string Id, string Name, string State, string? Cluster, int VmCount, DateTimeOffset? LastHeartbeatAt);
