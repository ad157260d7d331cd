using System.Globalization;
using System.Text;
using Hyperion.Contracts.Center;
using MudBlazor;

namespace Hyperion.Web.Live;

/// <summary>How tasks read in the web client: their names, state colours, times.</summary>
public static class TaskText
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Success = "success";
    public const string Error = "error";
    public const string Cancelled = "cancelled";

    /// <summary>Every task state, in the order a task goes through them.</summary>
    public static IReadOnlyList<string> States { get; } = [Queued, Running, Success, Error, Cancelled];

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["Folder.createVm"] = "Create virtual machine",
        ["Folder.addStandaloneHost"] = "Add standalone host",
        ["ClusterComputeResource.addHost"] = "Add host to cluster",
        ["HostSystem.reconnect"] = "Reconnect host",
        ["HostSystem.disconnect"] = "Disconnect host",
        ["HostSystem.destroy"] = "Remove host",
        ["HostSystem.enterMaintenanceMode"] = "Enter maintenance mode",
        ["HostSystem.exitMaintenanceMode"] = "Exit maintenance mode",
        ["VirtualMachine.powerOn"] = "Power on virtual machine",
        ["VirtualMachine.powerOff"] = "Power off virtual machine",
        ["VirtualMachine.reset"] = "Reset virtual machine",
        ["VirtualMachine.suspend"] = "Suspend virtual machine",
        ["VirtualMachine.resume"] = "Resume virtual machine",
        ["VirtualMachine.shutdownGuest"] = "Shut down guest OS",
        ["VirtualMachine.reconfigure"] = "Reconfigure virtual machine",
        ["VirtualMachine.destroy"] = "Delete virtual machine",
        ["VirtualMachine.migrate"] = "Migrate virtual machine",
        ["VirtualMachine.clone"] = "Clone virtual machine",
        ["VirtualMachine.markAsTemplate"] = "Mark as template",
        ["VirtualMachine.markAsVirtualMachine"] = "Mark as virtual machine",
        ["VirtualMachine.createSnapshot"] = "Create virtual machine snapshot",
        ["VirtualMachine.revertToSnapshot"] = "Revert to snapshot",
        ["VirtualMachine.removeSnapshot"] = "Remove snapshot",
        ["ContentLibrary.deploy"] = "Deploy library item",
    };

    /// <summary>A task's name for people: known operations by name, others from their description id (<c>Type.doSomething</c> → "Do something").</summary>
    public static string Describe(string descriptionId)
    {
        ArgumentNullException.ThrowIfNull(descriptionId);
        if (Names.TryGetValue(descriptionId, out var name))
        {
            return name;
        }

        var verb = descriptionId[(descriptionId.LastIndexOf('.') + 1)..];
        if (verb.Length == 0)
        {
            return descriptionId;
        }

        var text = new StringBuilder(verb.Length + 8);
        foreach (var c in verb)
        {
            if (text.Length == 0)
            {
                text.Append(char.ToUpperInvariant(c));
            }
            else if (char.IsUpper(c))
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c is '-' or '_' ? ' ' : c);
            }
        }

        return text.ToString();
    }

    public static bool IsFinished(string state) => state is Success or Error or Cancelled;

    public static Color StateColor(string state) => state switch
    {
        Queued => Color.Default,
        Running => Color.Info,
        Success => Color.Success,
        Error => Color.Error,
        Cancelled => Color.Warning,
        _ => Color.Default,
    };

    public static string StateLabel(string state) => state switch
    {
        Queued => "Queued",
        Running => "Running",
        Success => "Completed",
        Error => "Failed",
        Cancelled => "Cancelled",
        _ => state,
    };

    /// <summary>A time as the lists show it (UTC; the date only when it is not today's).</summary>
    public static string Time(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
        {
            return "";
        }

        var utc = t.ToUniversalTime();
        return utc.Date == now.ToUniversalTime().Date
            ? utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>The full time for tooltips.</summary>
    public static string FullTime(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary>How long the task ran (or has been running).</summary>
    public static string Duration(TaskDto task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.StartedAt is not { } started)
        {
            return "";
        }

        var span = (task.CompletedAt ?? now) - started;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : span.TotalMinutes < 60
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
    }

    /// <summary>The inventory page of an object.</summary>
    public static string ObjectHref(string objectId) => "/ui/inventory/" + Uri.EscapeDataString(objectId);
}
