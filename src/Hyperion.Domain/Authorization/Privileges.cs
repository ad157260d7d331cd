namespace Hyperion.Domain.Authorization;

/// <summary>
/// Privilege ids, named as vSphere names them (<c>Group.Subgroup.Action</c>) so admins' habits carry over. A role is
/// a set of these; <see cref="All"/> is what the Administrator role holds.
/// </summary>
public static class Privileges
{
    public const string SystemAnonymous = "System.Anonymous";
    public const string SystemView = "System.View";
    public const string SystemRead = "System.Read";

    public const string DatacenterCreate = "Datacenter.Create";
    public const string DatacenterDelete = "Datacenter.Delete";
    public const string DatacenterRename = "Datacenter.Rename";

    public const string FolderCreate = "Folder.Create";
    public const string FolderDelete = "Folder.Delete";
    public const string FolderRename = "Folder.Rename";

    public const string HostAddStandalone = "Host.Inventory.AddStandaloneHost";
    public const string HostAddToCluster = "Host.Inventory.AddHostToCluster";
    public const string HostRemove = "Host.Inventory.RemoveHostFromCluster";
    public const string HostCreateCluster = "Host.Inventory.CreateCluster";
    public const string HostDeleteCluster = "Host.Inventory.DeleteCluster";
    public const string HostEditCluster = "Host.Inventory.EditCluster";
    public const string HostMaintenance = "Host.Config.Maintenance";
    public const string HostConnection = "Host.Config.Connection";

    public const string VmCreate = "VirtualMachine.Inventory.Create";
    public const string VmDelete = "VirtualMachine.Inventory.Delete";
    public const string VmRegister = "VirtualMachine.Inventory.Register";
    public const string VmUnregister = "VirtualMachine.Inventory.Unregister";
    public const string VmReconfigure = "VirtualMachine.Config.Settings";
    public const string VmPowerOn = "VirtualMachine.Interact.PowerOn";
    public const string VmPowerOff = "VirtualMachine.Interact.PowerOff";
    public const string VmReset = "VirtualMachine.Interact.Reset";
    public const string VmSuspend = "VirtualMachine.Interact.Suspend";
    public const string VmConsole = "VirtualMachine.Interact.ConsoleInteract";
    public const string VmMigrate = "Resource.HotMigrate";
    public const string VmSnapshotCreate = "VirtualMachine.State.CreateSnapshot";
    public const string VmSnapshotRevert = "VirtualMachine.State.RevertToSnapshot";
    public const string VmSnapshotRemove = "VirtualMachine.State.RemoveSnapshot";
    public const string VmClone = "VirtualMachine.Provisioning.Clone";
    public const string VmDeployTemplate = "VirtualMachine.Provisioning.DeployTemplate";
    public const string VmMarkAsTemplate = "VirtualMachine.Provisioning.MarkAsTemplate";
    public const string VmMarkAsVm = "VirtualMachine.Provisioning.MarkAsVM";
    public const string VmCustomize = "VirtualMachine.Provisioning.Customize";
    public const string VmCreateFromExisting = "VirtualMachine.Inventory.CreateFromExisting";
    public const string VmExport = "VApp.Export";
    public const string LibraryAddItem = "ContentLibrary.AddLibraryItem";
    public const string LibraryDeleteItem = "ContentLibrary.DeleteLibraryItem";

    public const string DatastoreAllocateSpace = "Datastore.AllocateSpace";
    public const string DatastoreBrowse = "Datastore.Browse";
    public const string NetworkAssign = "Network.Assign";

    public const string TaskCancel = "Global.CancelTask";
    public const string TagAttach = "InventoryService.Tagging.AttachTag";
    public const string TagManage = "InventoryService.Tagging.CreateTag";

    public const string ModifyPermissions = "Authorization.ModifyPermissions";
    public const string ModifyRoles = "Authorization.ModifyRoles";
    public const string ManageUsers = "Authorization.ManageUsers";
    public const string TerminateSession = "Sessions.TerminateSession";

    /// <summary>Every privilege, sorted ordinally.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        SystemAnonymous, SystemView, SystemRead,
        DatacenterCreate, DatacenterDelete, DatacenterRename,
        FolderCreate, FolderDelete, FolderRename,
        HostAddStandalone, HostAddToCluster, HostRemove, HostCreateCluster, HostDeleteCluster, HostEditCluster, HostMaintenance, HostConnection,
        VmCreate, VmDelete, VmRegister, VmUnregister, VmReconfigure, VmPowerOn, VmPowerOff, VmReset, VmSuspend, VmConsole, VmMigrate,
        VmSnapshotCreate, VmSnapshotRevert, VmSnapshotRemove,
        VmClone, VmDeployTemplate, VmMarkAsTemplate, VmMarkAsVm, VmCustomize, VmCreateFromExisting, VmExport,
        LibraryAddItem, LibraryDeleteItem,
        DatastoreAllocateSpace, DatastoreBrowse, NetworkAssign,
        TaskCancel, TagAttach, TagManage,
        ModifyPermissions, ModifyRoles, ManageUsers, TerminateSession,
    }.Order(StringComparer.Ordinal).ToArray();

    public static bool IsKnown(string privilege) => All.Contains(privilege, StringComparer.Ordinal);
}
