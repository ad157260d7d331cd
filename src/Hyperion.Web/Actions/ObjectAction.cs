namespace Hyperion.Web.Actions;

/// <summary>The operations the web client offers on inventory objects: exactly those the Center's REST API supports.</summary>
public enum ObjectAction
{
    PowerOn,
    PowerOff,
    Reset,
    Suspend,
    Resume,
    Shutdown,
    Migrate,
    Clone,
    DeployFromTemplate,
    TakeSnapshot,
    ManageSnapshots,
    MarkAsTemplate,
    ConvertToVm,
    ExportOvf,
    EditSettings,
    DeleteVm,
    NewVm,
    AddHost,
    NewCluster,
    NewDatacenter,
    NewFolder,
    EnterMaintenance,
    ExitMaintenance,
    Disconnect,
    Reconnect,
    RemoveHost,
    EditClusterHa,
    EditVmHa,
}

/// <summary>Display facts of an <see cref="ObjectAction"/>: its element id, label and the API verb it calls.</summary>
public static class ActionNames
{
    /// <summary>The stable element id of the action's button (<c>action-power-on</c>…).</summary>
    public static string ElementId(ObjectAction action) => action switch
    {
        ObjectAction.PowerOn => "action-power-on",
        ObjectAction.PowerOff => "action-power-off",
        ObjectAction.Reset => "action-reset",
        ObjectAction.Suspend => "action-suspend",
        ObjectAction.Resume => "action-resume",
        ObjectAction.Shutdown => "action-shutdown",
        ObjectAction.Migrate => "action-migrate",
        ObjectAction.Clone => "action-clone",
        ObjectAction.DeployFromTemplate => "action-deploy",
        ObjectAction.TakeSnapshot => "action-take-snapshot",
        ObjectAction.ManageSnapshots => "action-manage-snapshots",
        ObjectAction.MarkAsTemplate => "action-mark-template",
        ObjectAction.ConvertToVm => "action-convert-to-vm",
        ObjectAction.ExportOvf => "action-export-ovf",
        ObjectAction.EditSettings => "action-edit",
        ObjectAction.DeleteVm => "action-delete",
        ObjectAction.NewVm => "action-new-vm",
        ObjectAction.AddHost => "action-add-host",
        ObjectAction.NewCluster => "action-new-cluster",
        ObjectAction.NewDatacenter => "action-new-datacenter",
        ObjectAction.NewFolder => "action-new-folder",
        ObjectAction.EnterMaintenance => "action-enter-maintenance",
        ObjectAction.ExitMaintenance => "action-exit-maintenance",
        ObjectAction.Disconnect => "action-disconnect",
        ObjectAction.Reconnect => "action-reconnect",
        ObjectAction.RemoveHost => "action-remove-host",
        ObjectAction.EditClusterHa => "action-edit-ha",
        ObjectAction.EditVmHa => "action-edit-vm-ha",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static string Label(ObjectAction action) => action switch
    {
        ObjectAction.PowerOn => "Power On",
        ObjectAction.PowerOff => "Power Off",
        ObjectAction.Reset => "Reset",
        ObjectAction.Suspend => "Suspend",
        ObjectAction.Resume => "Resume",
        ObjectAction.Shutdown => "Shut Down Guest",
        ObjectAction.Migrate => "Migrate",
        ObjectAction.Clone => "Clone…",
        ObjectAction.DeployFromTemplate => "Deploy from Template…",
        ObjectAction.TakeSnapshot => "Take Snapshot…",
        ObjectAction.ManageSnapshots => "Manage Snapshots…",
        ObjectAction.MarkAsTemplate => "Mark as Template",
        ObjectAction.ConvertToVm => "Convert to Virtual Machine",
        ObjectAction.ExportOvf => "Export OVF Template…",
        ObjectAction.EditSettings => "Edit Settings",
        ObjectAction.DeleteVm => "Delete",
        ObjectAction.NewVm => "New VM",
        ObjectAction.AddHost => "Add Host",
        ObjectAction.NewCluster => "New Cluster",
        ObjectAction.NewDatacenter => "New Datacenter",
        ObjectAction.NewFolder => "New Folder",
        ObjectAction.EnterMaintenance => "Enter Maintenance Mode",
        ObjectAction.ExitMaintenance => "Exit Maintenance Mode",
        ObjectAction.Disconnect => "Disconnect",
        ObjectAction.Reconnect => "Reconnect",
        ObjectAction.RemoveHost => "Remove from Inventory",
        ObjectAction.EditClusterHa => "Edit vSphere HA…",
        ObjectAction.EditVmHa => "Edit HA Overrides…",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>The label without a trailing ellipsis, for messages (<c>Clone web-1: task queued</c>).</summary>
    public static string Title(ObjectAction action) => Label(action).TrimEnd('…');

    /// <summary>
    /// Where Export OVF Template downloads the VM's OVA (<c>GET /api/vms/{id}/export</c>): a plain link, so the
    /// browser streams it to disk; the session cookie authenticates it (on the API the cookie authenticates reads only).
    /// </summary>
    public static string ExportHref(string vmId) => $"/api/vms/{Uri.EscapeDataString(vmId)}/export";

    /// <summary>The power verb of <c>CenterVmService.PowerAsync</c> (as <c>POST /api/vms/{id}/{verb}</c>), or null for other actions.</summary>
    public static string? PowerVerb(ObjectAction action) => action switch
    {
        ObjectAction.PowerOn => "power-on",
        ObjectAction.PowerOff => "power-off",
        ObjectAction.Reset => "reset",
        ObjectAction.Suspend => "suspend",
        ObjectAction.Resume => "resume",
        ObjectAction.Shutdown => "shutdown",
        _ => null,
    };
}
