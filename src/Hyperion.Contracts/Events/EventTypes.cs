namespace Hyperion.Contracts.Events;

public static class EventTypes
{
    public const string HostStarted = "host.started";
    public const string VmCreated = "vm.created";
    public const string VmReconfigured = "vm.reconfigured";
    public const string VmRegistered = "vm.registered";
    public const string VmUnregistered = "vm.unregistered";
    public const string VmDeleted = "vm.deleted";
    public const string VmPoweredOn = "vm.powered-on";
    public const string VmPoweredOff = "vm.powered-off";
    public const string VmGuestPoweredOff = "vm.guest-powered-off";
    public const string VmProcessDied = "vm.process-died";
    public const string VmReset = "vm.reset";
    public const string VmSuspended = "vm.suspended";
    public const string VmResumed = "vm.resumed";
    public const string VmAdopted = "vm.adopted";
    public const string VmMigrationStarted = "vm.migration-started";
    public const string VmMigrationFailed = "vm.migration-failed";
    public const string VmMigratedIn = "vm.migrated-in";
    public const string VmMigratedOut = "vm.migrated-out";
    public const string VmStorageMigrated = "vm.storage-migrated";
    public const string VmStorageMigrationFailed = "vm.storage-migration-failed";
    public const string VmSnapshotCreated = "vm.snapshot-created";
    public const string VmSnapshotReverted = "vm.snapshot-reverted";
    public const string VmSnapshotDeleted = "vm.snapshot-deleted";
    public const string VmCloned = "vm.cloned";
    public const string VmMarkedTemplate = "vm.marked-template";
    public const string VmMarkedVm = "vm.marked-vm";
    public const string VmExported = "vm.exported";
    public const string LibraryItemImported = "library.item-imported";
    public const string LibraryItemDeleted = "library.item-deleted";
    public const string HaStateChanged = "ha.state-changed";
    public const string HaMasterElected = "ha.master-elected";
    public const string HaHostFailed = "ha.host-failed";
    public const string HaIsolationResponse = "ha.isolation-response";
    public const string HaVmRestarting = "ha.vm-restarting";
    public const string HaVmRestarted = "ha.vm-restarted";
    public const string HaVmRestartFailed = "ha.vm-restart-failed";
    public const string HaVmUnplaced = "ha.vm-unplaced";
    public const string HaVmMonitoringRestart = "ha.vm-monitoring-restart";
    public const string HaVmMonitoringReset = "ha.vm-monitoring-reset";
    public const string HaVmUnprotected = "ha.vm-unprotected";
    public const string HaVmConflict = "ha.vm-conflict";
}
