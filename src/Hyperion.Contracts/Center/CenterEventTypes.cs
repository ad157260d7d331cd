namespace Hyperion.Contracts.Center;

/// <summary>Stable types of Center events (dotted, as the host agent's).</summary>
public static class CenterEventTypes
{
    public const string DatacenterCreated = "datacenter.created";
    public const string FolderCreated = "folder.created";
    public const string ClusterCreated = "cluster.created";
    public const string ClusterCpuBaselineChanged = "cluster.cpu-baseline-changed";
    public const string ClusterHaEnabled = "cluster.ha-enabled";
    public const string ClusterHaDisabled = "cluster.ha-disabled";
    public const string ClusterHaReconfigured = "cluster.ha-reconfigured";
    public const string HostAdded = "host.added";
    public const string HostRemoved = "host.removed";
    public const string HostConnected = "host.connected";
    public const string HostNotResponding = "host.not-responding";
    public const string HostDisconnected = "host.disconnected";
    public const string HostMaintenanceEntered = "host.maintenance-entered";
    public const string HostMaintenanceExited = "host.maintenance-exited";
    public const string HostCpuBaselineUnsupported = "host.cpu-baseline-unsupported";
    public const string HostHaConfigFailed = "host.ha-config-failed";
    public const string VmCreated = "vm.created";
    public const string VmDiscovered = "vm.discovered";
    public const string VmRemoved = "vm.removed";
    public const string VmReconfigured = "vm.reconfigured";
    public const string VmPoweredOn = "vm.powered-on";
    public const string VmPoweredOff = "vm.powered-off";
    public const string VmSuspended = "vm.suspended";
    public const string VmDeleted = "vm.deleted";
    public const string VmMigrated = "vm.migrated";
    public const string VmMigrationFailed = "vm.migration-failed";
    public const string VmSnapshotCreated = "vm.snapshot-created";
    public const string VmSnapshotReverted = "vm.snapshot-reverted";
    public const string VmSnapshotDeleted = "vm.snapshot-deleted";
    public const string VmCloned = "vm.cloned";
    public const string VmMarkedTemplate = "vm.marked-template";
    public const string VmMarkedVm = "vm.marked-vm";
    public const string LibraryItemImported = "library.item-imported";
    public const string LibraryItemDeleted = "library.item-deleted";
    public const string UserCreated = "user.created";
    public const string PermissionChanged = "permission.changed";
    public const string TagCreated = "tag.created";
    public const string TagDeleted = "tag.deleted";
    public const string TagAssigned = "tag.assigned";
    public const string TagUnassigned = "tag.unassigned";
    public const string TaskFailed = "task.failed";
}
