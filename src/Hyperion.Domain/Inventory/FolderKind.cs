namespace Hyperion.Domain.Inventory;

/// <summary>What a folder may contain: datacenters (the root folder), hosts and clusters, or VMs.</summary>
public enum FolderKind
{
    Datacenter,
    Host,
    Vm,
}
