using System.Globalization;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Inventory;
using MudBlazor;

namespace Hyperion.Web.Components.Inventory;

/// <summary>How inventory objects look in the web client: icons per kind, colours and words per state, sizes.</summary>
public static class InventoryDisplay
{
    public static string Icon(InventoryNodeKind kind) => kind switch
    {
        InventoryNodeKind.Datacenter => Icons.Material.Filled.Domain,
        InventoryNodeKind.Folder => Icons.Material.Filled.Folder,
        InventoryNodeKind.Cluster => Icons.Material.Filled.Workspaces,
        InventoryNodeKind.Host => Icons.Material.Filled.Dns,
        InventoryNodeKind.Vm => Icons.Material.Filled.Computer,
        InventoryNodeKind.Datastore or InventoryNodeKind.DatastoreGroup => Icons.Material.Filled.Storage,
        _ => Icons.Material.Filled.Lan,
    };

    public static string Icon(InventoryObjectKind kind) => Icon(InventoryNode.KindOf(kind));

    /// <summary>A VM template's icon: distinct from a VM's (vSphere draws a template as a page over a VM).</summary>
    public const string TemplateIcon = Icons.Material.Filled.LibraryBooks;

    /// <summary>The icon of an object in a state: a template has its own.</summary>
    public static string Icon(InventoryNodeKind kind, string? state) =>
        kind == InventoryNodeKind.Vm && state == InventoryBrowser.TemplateState ? TemplateIcon : Icon(kind);

    public static string Icon(InventoryObjectKind kind, string? state) => Icon(InventoryNode.KindOf(kind), state);

    /// <summary>The kind as vSphere names it.</summary>
    public static string KindName(InventoryObjectKind kind, string? state) =>
        kind == InventoryObjectKind.Vm && state == InventoryBrowser.TemplateState ? "VM Template" : KindName(kind);

    public static string KindName(InventoryObjectKind kind) => kind switch
    {
        InventoryObjectKind.Datacenter => "Datacenter",
        InventoryObjectKind.Folder => "Folder",
        InventoryObjectKind.Cluster => "Cluster",
        InventoryObjectKind.Host => "Host",
        InventoryObjectKind.Vm => "Virtual Machine",
        InventoryObjectKind.Datastore => "Datastore",
        _ => "Network",
    };

    /// <summary>Plural kind names, for search result groups.</summary>
    public static string KindPlural(InventoryObjectKind kind) => kind switch
    {
        InventoryObjectKind.Datacenter => "Datacenters",
        InventoryObjectKind.Folder => "Folders",
        InventoryObjectKind.Cluster => "Clusters",
        InventoryObjectKind.Host => "Hosts",
        InventoryObjectKind.Vm => "Virtual Machines",
        InventoryObjectKind.Datastore => "Datastores",
        _ => "Networks",
    };

    /// <summary>The colour of an object's icon for its state (power for VMs, connection for hosts).</summary>
    public static Color StateColor(string? state) => state switch
    {
        "poweredOn" or "connected" => Color.Success,
        "suspended" or "maintenance" => Color.Warning,
        InventoryBrowser.TemplateState => Color.Info,
        "notResponding" => Color.Error,
        "poweredOff" or "disconnected" => Color.Default,
        _ => Color.Primary,
    };

    public static string StateText(string? state) => state switch
    {
        "poweredOn" => "Powered on",
        "poweredOff" => "Powered off",
        "suspended" => "Suspended",
        "connected" => "Connected",
        "notResponding" => "Not responding",
        "disconnected" => "Disconnected",
        "maintenance" => "Maintenance mode",
        InventoryBrowser.TemplateState => "Template",
        null => "",
        _ => state,
    };

    /// <summary>Bytes as the UI shows them everywhere (<c>12.5 GiB</c>).</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    public static string MiB(long mib) => Bytes(mib * 1024 * 1024);

    public static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.#} %");

    /// <summary>Share of <paramref name="used"/> in <paramref name="total"/>, 0–100 (0 for an empty total).</summary>
    public static double Share(double used, double total) => total <= 0 ? 0 : Math.Clamp(used * 100 / total, 0, 100);

    public static Color UsageColor(double percent) => percent switch
    {
        >= 90 => Color.Error,
        >= 75 => Color.Warning,
        _ => Color.Primary,
    };

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>The guest agent line of a VM with the channel, as vSphere shows VMware Tools: "Running (version …)", "Not running".</summary>
    public static string GuestAgentText(Contracts.Vms.VmDto vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return vm.GuestAgentStatus switch
        {
            null => "Not running (the VM is off)",
            { State: Contracts.Vms.VmGuestAgentStates.Running } s => $"Running{(s.Version is null ? string.Empty : $" (version {s.Version})")}",
            { LastSeenAt: { } seen } => $"Not running (last answered {Time(seen)})",
            _ => "Not running (not answered since power-on)",
        };
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The page of an object, optionally on a tab.</summary>
    public static string Href(string id, string? tab = null) =>
        tab is null ? $"/ui/inventory/{Uri.EscapeDataString(id)}" : $"/ui/inventory/{Uri.EscapeDataString(id)}?tab={Uri.EscapeDataString(tab)}";
}
