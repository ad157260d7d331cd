using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;

namespace Hyperion.Web.Actions;

/// <summary>
/// Which actions an object offers and whether each may run now, decided as the Center decides: the privilege the
/// API checks (on the object it checks it on) and the state it requires. A disabled action carries the reason. The
/// API stays the authority; this only spares the user a refusal they can see coming.
/// </summary>
public static class ActionRules
{
    private static readonly (ObjectAction Action, VmPowerOperation Operation, string Privilege)[] PowerActions =
    [
        (ObjectAction.PowerOn, VmPowerOperation.PowerOn, Privileges.VmPowerOn),
        (ObjectAction.PowerOff, VmPowerOperation.PowerOff, Privileges.VmPowerOff),
        (ObjectAction.Reset, VmPowerOperation.Reset, Privileges.VmReset),
        (ObjectAction.Suspend, VmPowerOperation.Suspend, Privileges.VmSuspend),
        (ObjectAction.Resume, VmPowerOperation.Resume, Privileges.VmPowerOn),
        (ObjectAction.Shutdown, VmPowerOperation.Shutdown, Privileges.VmPowerOff),
    ];

    /// <summary>Why a template offers no power operation and no console.</summary>
    public const string TemplateNeverPoweredOn = "a template is never powered on";

    /// <summary>Why a template offers no snapshot operation.</summary>
    public const string TemplateNeverSnapshotted = "a template is never snapshotted or reverted: convert it to a virtual machine first";

    /// <summary>The actions of <paramref name="target"/>, in toolbar order.</summary>
    public static IReadOnlyList<ActionAvailability> For(ActionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind switch
        {
            InventoryObjectKind.Vm => ForVm(target),
            InventoryObjectKind.Host => ForHost(target),
            InventoryObjectKind.Cluster =>
            [
                NewVm(target, target.Privileges, target.Name),
                Check(ObjectAction.AddHost, target.Privileges, Privileges.HostAddToCluster, target.Name),
                Check(ObjectAction.EditClusterHa, target.Privileges, Privileges.HostEditCluster, target.Name),
            ],
            InventoryObjectKind.Datacenter =>
            [
                NewVm(target, target.VmFolderPrivileges, target.Name),
                Check(ObjectAction.AddHost, target.HostFolderPrivileges, Privileges.HostAddStandalone, target.Name),
                Check(ObjectAction.NewCluster, target.HostFolderPrivileges, Privileges.HostCreateCluster, target.Name),
                Check(ObjectAction.NewFolder, Union(target.VmFolderPrivileges, target.HostFolderPrivileges), Privileges.FolderCreate, target.Name),
            ],
            InventoryObjectKind.Folder => ForFolder(target),
            _ => [],
        };
    }

    /// <summary>The reason given for a privilege the user lacks.</summary>
    public static string Lacks(string privilege, string objectName) => $"You lack {privilege} on {objectName}";

    /// <summary>The privilege the API checks for <paramref name="action"/> (on the object the rules check it on).</summary>
    public static string Privilege(ObjectAction action) => action switch
    {
        ObjectAction.PowerOn or ObjectAction.Resume => Privileges.VmPowerOn,
        ObjectAction.PowerOff or ObjectAction.Shutdown => Privileges.VmPowerOff,
        ObjectAction.Reset => Privileges.VmReset,
        ObjectAction.Suspend => Privileges.VmSuspend,
        ObjectAction.Migrate => Privileges.VmMigrate,
        ObjectAction.Clone => Privileges.VmClone,
        ObjectAction.DeployFromTemplate => Privileges.VmDeployTemplate,
        ObjectAction.TakeSnapshot => Privileges.VmSnapshotCreate,
        ObjectAction.ManageSnapshots => Privileges.VmSnapshotRevert,
        ObjectAction.MarkAsTemplate => Privileges.VmMarkAsTemplate,
        ObjectAction.ConvertToVm => Privileges.VmMarkAsVm,
        ObjectAction.ExportOvf => Privileges.VmExport,
        ObjectAction.EditSettings => Privileges.VmReconfigure,
        ObjectAction.DeleteVm => Privileges.VmDelete,
        ObjectAction.NewVm => Privileges.VmCreate,
        ObjectAction.AddHost => Privileges.HostAddToCluster,
        ObjectAction.NewCluster => Privileges.HostCreateCluster,
        ObjectAction.NewDatacenter => Privileges.DatacenterCreate,
        ObjectAction.NewFolder => Privileges.FolderCreate,
        ObjectAction.EnterMaintenance or ObjectAction.ExitMaintenance => Privileges.HostMaintenance,
        ObjectAction.Disconnect or ObjectAction.Reconnect => Privileges.HostConnection,
        ObjectAction.RemoveHost => Privileges.HostRemove,
        ObjectAction.EditClusterHa => Privileges.HostEditCluster,
        ObjectAction.EditVmHa => Privileges.VmReconfigure,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private static List<ActionAvailability> ForVm(ActionTarget vm)
    {
        var state = vm.PowerState ?? VmPowerState.PoweredOff;
        var actions = new List<ActionAvailability>();
        foreach (var (action, operation, privilege) in PowerActions)
        {
            var decision = VmPowerTransitions.Decide(state, operation);
            // A template is always powered off and never starts: every power operation has the same answer.
            var reason = (vm.IsTemplate ? TemplateNeverPoweredOn : null)
                ?? Missing(vm.Privileges, privilege, vm.Name)
                ?? (decision.NoOp ? $"{vm.Name} is already {Describe(decision.Target)}" : null)
                ?? (decision.Allowed ? null : $"{vm.Name} is {Describe(state)}: {decision.Reason}")
                ?? HostProblem(vm, requireOutOfMaintenance: operation is VmPowerOperation.PowerOn or VmPowerOperation.Resume);
            actions.Add(new ActionAvailability(action, reason is null, reason));
        }

        // Running (vMotion) or not (cold): the power state is the Center's to judge; only a host to leave is needed here.
        // A source host in maintenance mode is no reason against: evacuating it is what migration is for.
        var migrate = Missing(vm.Privileges, Privileges.VmMigrate, vm.Name) ?? HostProblem(vm, requireOutOfMaintenance: false);
        actions.Add(new ActionAvailability(ObjectAction.Migrate, migrate is null, migrate));

        // The source's host makes the copy (of a running VM too), so it must be connected; where the clone goes is the dialog's.
        actions.Add(vm.IsTemplate
            ? With(ObjectAction.DeployFromTemplate, Missing(vm.Privileges, Privileges.VmDeployTemplate, vm.Name) ?? HostProblem(vm, requireOutOfMaintenance: false))
            : With(ObjectAction.Clone, Missing(vm.Privileges, Privileges.VmClone, vm.Name) ?? HostProblem(vm, requireOutOfMaintenance: false)));

        // Snapshots are taken and reverted running or not; a template has none (its disks never change).
        actions.Add(With(ObjectAction.TakeSnapshot, (vm.IsTemplate ? TemplateNeverSnapshotted : null)
            ?? Missing(vm.Privileges, Privileges.VmSnapshotCreate, vm.Name)
            ?? HostProblem(vm, requireOutOfMaintenance: false)));
        var manage = vm.Privileges.Contains(Privileges.VmSnapshotRevert) || vm.Privileges.Contains(Privileges.VmSnapshotRemove)
            ? null
            : $"You lack {Privileges.VmSnapshotRevert} and {Privileges.VmSnapshotRemove} on {vm.Name}";
        actions.Add(With(ObjectAction.ManageSnapshots, (vm.IsTemplate ? TemplateNeverSnapshotted : null) ?? manage ?? HostProblem(vm, requireOutOfMaintenance: false)));

        actions.Add(vm.IsTemplate
            ? With(ObjectAction.ConvertToVm, Missing(vm.Privileges, Privileges.VmMarkAsVm, vm.Name) ?? HostProblem(vm, requireOutOfMaintenance: false))
            : With(ObjectAction.MarkAsTemplate, Missing(vm.Privileges, Privileges.VmMarkAsTemplate, vm.Name)
                ?? (state == VmPowerState.PoweredOff ? null : $"{vm.Name} is {Describe(state)}: power it off to mark it as a template")
                ?? HostProblem(vm, requireOutOfMaintenance: false)));

        // The host exports only a powered-off VM (its disks must not change while they are read); a template always is.
        actions.Add(With(ObjectAction.ExportOvf, Missing(vm.Privileges, Privileges.VmExport, vm.Name)
            ?? (state == VmPowerState.PoweredOff ? null : $"{vm.Name} is {Describe(state)}: power it off to export it")
            ?? HostProblem(vm, requireOutOfMaintenance: false)));

        actions.Add(vm.IsTemplate
            ? With(ObjectAction.EditSettings, $"{vm.Name} is a template, which never changes: convert it to a virtual machine to change its settings")
            : ConfigurationChange(vm, ObjectAction.EditSettings, Privileges.VmReconfigure, "change its settings"));
        // HA overrides change in any power state (the host keeps them in the VM's folder); the host must answer.
        actions.Add(With(ObjectAction.EditVmHa, Missing(vm.Privileges, Privileges.VmReconfigure, vm.Name) ?? HostProblem(vm, requireOutOfMaintenance: false)));
        actions.Add(ConfigurationChange(vm, ObjectAction.DeleteVm, Privileges.VmDelete, "delete it"));
        return actions;
    }

    private static ActionAvailability ConfigurationChange(ActionTarget vm, ObjectAction action, string privilege, string what)
    {
        var state = vm.PowerState ?? VmPowerState.PoweredOff;
        var reason = Missing(vm.Privileges, privilege, vm.Name)
            ?? (VmPowerTransitions.AllowsConfigurationChange(state) ? null : $"{vm.Name} is {Describe(state)}: power it off to {what}")
            ?? HostProblem(vm, requireOutOfMaintenance: false);
        return new ActionAvailability(action, reason is null, reason);
    }

    private static List<ActionAvailability> ForHost(ActionTarget host)
    {
        var connection = host.HostConnection ?? HostConnectionState.Disconnected;
        var usable = connection != HostConnectionState.Connected
            ? $"{host.Name} is {Describe(connection)}: reconnect it first"
            : host.HostInMaintenance ? $"{host.Name} is in maintenance mode: it takes no new VMs" : null;
        return
        [
            NewVmWith(Missing(host.Privileges, Privileges.VmCreate, host.Name) ?? usable),
            With(ObjectAction.EnterMaintenance, Missing(host.Privileges, Privileges.HostMaintenance, host.Name)
                ?? (host.HostInMaintenance ? $"{host.Name} is already in maintenance mode" : null)),
            With(ObjectAction.ExitMaintenance, Missing(host.Privileges, Privileges.HostMaintenance, host.Name)
                ?? (host.HostInMaintenance ? null : $"{host.Name} is not in maintenance mode")),
            With(ObjectAction.Disconnect, Missing(host.Privileges, Privileges.HostConnection, host.Name)
                ?? (connection == HostConnectionState.Disconnected ? $"{host.Name} is already disconnected" : null)),
            With(ObjectAction.Reconnect, Missing(host.Privileges, Privileges.HostConnection, host.Name)
                ?? (connection == HostConnectionState.Connected ? $"{host.Name} is already connected" : null)),
            With(ObjectAction.RemoveHost, Missing(host.Privileges, Privileges.HostRemove, host.Name)),
        ];
    }

    private static List<ActionAvailability> ForFolder(ActionTarget folder)
    {
        var actions = new List<ActionAvailability>();
        if (folder.IsRootFolder)
        {
            actions.Add(Check(ObjectAction.NewDatacenter, folder.Privileges, Privileges.DatacenterCreate, folder.Name));
        }

        if (folder.FolderKind == FolderKind.Vm)
        {
            actions.Add(NewVm(folder, folder.Privileges, folder.Name));
        }

        if (folder.FolderKind == FolderKind.Host && folder.IsDatacenterRootFolder)
        {
            // The API adds standalone hosts and creates clusters in a datacenter's root host folder only.
            actions.Add(Check(ObjectAction.AddHost, folder.Privileges, Privileges.HostAddStandalone, folder.Name));
            actions.Add(Check(ObjectAction.NewCluster, folder.Privileges, Privileges.HostCreateCluster, folder.Name));
        }

        actions.Add(Check(ObjectAction.NewFolder, folder.Privileges, Privileges.FolderCreate, folder.Name));
        return actions;
    }

    private static ActionAvailability NewVm(ActionTarget target, IReadOnlySet<string> privileges, string objectName) =>
        NewVmWith(Missing(privileges, Privileges.VmCreate, objectName) ?? (target.DatacenterId is null ? $"{objectName} is not in a datacenter" : null));

    private static ActionAvailability NewVmWith(string? reason) => With(ObjectAction.NewVm, reason);

    private static ActionAvailability Check(ObjectAction action, IReadOnlySet<string> privileges, string privilege, string objectName) =>
        With(action, Missing(privileges, privilege, objectName));

    private static ActionAvailability With(ObjectAction action, string? reason) => new(action, reason is null, reason);

    private static string? Missing(IReadOnlySet<string> privileges, string privilege, string objectName) =>
        privileges.Contains(privilege) ? null : Lacks(privilege, objectName);

    private static string? HostProblem(ActionTarget vm, bool requireOutOfMaintenance)
    {
        if (vm.HostConnection is not { } connection)
        {
            return $"{vm.Name} is not registered on any host";
        }

        if (connection != HostConnectionState.Connected)
        {
            return $"its host {vm.HostName} is {Describe(connection)}: reconnect it first";
        }

        return requireOutOfMaintenance && vm.HostInMaintenance ? $"its host {vm.HostName} is in maintenance mode" : null;
    }

    private static HashSet<string> Union(IReadOnlySet<string> a, IReadOnlySet<string> b) => [.. a, .. b];

    public static string Describe(VmPowerState state) => state switch
    {
        VmPowerState.PoweredOn => "powered on",
        VmPowerState.PoweredOff => "powered off",
        VmPowerState.Suspended => "suspended",
        _ => state.ToString(),
    };

    public static string Describe(HostConnectionState state) => state switch
    {
        HostConnectionState.Connected => "connected",
        HostConnectionState.Disconnected => "disconnected",
        HostConnectionState.NotResponding => "not responding",
        _ => state.ToString(),
    };
}
