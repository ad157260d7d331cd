using Hyperion.Domain.Inventory;
using Hyperion.Web.Actions;
using Hyperion.Web.Inventory;

namespace Hyperion.Web.Components.Inventory;

/// <summary>One tab of an object page: its key (the <c>?tab=</c> value and the <c>tab-KEY</c> id) and title; a tab that does not apply now is disabled with the reason.</summary>
public sealed record ObjectTab(string Key, string Title, string? DisabledReason = null);

/// <summary>Which tabs an object page shows, per kind, in vSphere's order.</summary>
public static class ObjectTabs
{
    public const string Summary = "summary";
    public const string Vms = "vms";
    public const string Hosts = "hosts";
    public const string Monitor = "monitor";
    public const string Console = "console";
    public const string Serial = "serial";
    public const string Tasks = "tasks";
    public const string Permissions = "permissions";

    /// <summary>A cluster's vSphere HA monitor (vSphere: Monitor › vSphere HA).</summary>
    public const string Ha = "ha";

    public static IReadOnlyList<ObjectTab> For(ObjectHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var keys = header.Kind switch
        {
            InventoryObjectKind.Vm => new[] { Summary, Monitor, Console, Serial, Tasks, Permissions },
            InventoryObjectKind.Host => [Summary, Vms, Monitor, Tasks, Permissions],
            InventoryObjectKind.Cluster => [Summary, Hosts, Vms, Ha, Tasks, Permissions],
            InventoryObjectKind.Datacenter => [Summary, Hosts, Vms, Tasks, Permissions],
            InventoryObjectKind.Folder when header.FolderKind == "vm" => [Summary, Vms, Tasks, Permissions],
            InventoryObjectKind.Folder => [Summary, Hosts, Vms, Tasks, Permissions],
            InventoryObjectKind.Datastore => [Summary, Vms, Tasks, Permissions],
            _ => [Summary, Tasks, Permissions],
        };
        // A template is never powered on: it has no console to open.
        var template = header.Kind == InventoryObjectKind.Vm && header.State == InventoryBrowser.TemplateState;
        return keys.Select(k => new ObjectTab(k, Title(k), template && k is Console or Serial ? ActionRules.TemplateNeverPoweredOn : null)).ToList();
    }

    private static string Title(string key) => key switch
    {
        Summary => "Summary",
        Vms => "VMs",
        Hosts => "Hosts",
        Monitor => "Monitor",
        Console => "Console",
        Serial => "Serial",
        Tasks => "Tasks & Events",
        Ha => "vSphere HA",
        _ => "Permissions",
    };
}
