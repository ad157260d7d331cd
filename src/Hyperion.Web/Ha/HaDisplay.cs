using System.Globalization;
using Hyperion.Contracts.Ha;
using MudBlazor;

namespace Hyperion.Web.Ha;

/// <summary>How vSphere HA's states read in the web client: the words the vSphere Client uses and a colour per state.</summary>
public static class HaDisplay
{
    public static string HostStateText(string? state) => state switch
    {
        HaHostStates.Master => "Master (primary)",
        HaHostStates.Connected => "Connected (secondary)",
        HaHostStates.Initializing => "Initializing",
        HaHostStates.Isolated => "Isolated",
        HaHostStates.Partitioned => "Partitioned",
        HaHostStates.Failed => "Failed",
        HaHostStates.Maintenance => "Maintenance mode",
        HaHostStates.Disabled => "HA disabled",
        null => "Unknown",
        _ => state,
    };

    public static Color HostStateColor(string? state) => state switch
    {
        HaHostStates.Master or HaHostStates.Connected => Color.Success,
        HaHostStates.Initializing => Color.Info,
        HaHostStates.Partitioned => Color.Warning,
        HaHostStates.Isolated or HaHostStates.Failed => Color.Error,
        _ => Color.Default,
    };

    /// <summary>A host state that needs the administrator's attention.</summary>
    public static bool HostStateIsProblem(string? state) => state is HaHostStates.Partitioned or HaHostStates.Isolated or HaHostStates.Failed;

    public static string ProtectionText(string? protection) => protection switch
    {
        HaVmProtectionStates.Protected => "Protected",
        HaVmProtectionStates.Restarting => "Restarting",
        HaVmProtectionStates.Unplaced => "Not placed",
        HaVmProtectionStates.RunningOnIsolatedHost => "Running on an isolated host",
        HaVmProtectionStates.Waiting => "Waiting for its host",
        null => "Unprotected",
        _ => protection,
    };

    public static Color ProtectionColor(string? protection) => protection switch
    {
        HaVmProtectionStates.Protected => Color.Success,
        HaVmProtectionStates.Restarting or HaVmProtectionStates.Waiting => Color.Info,
        HaVmProtectionStates.RunningOnIsolatedHost => Color.Warning,
        HaVmProtectionStates.Unplaced => Color.Error,
        _ => Color.Default,
    };

    public static string PriorityText(string? priority) => priority switch
    {
        HaRestartPriorities.High => "High",
        HaRestartPriorities.Medium => "Medium",
        HaRestartPriorities.Low => "Low",
        HaRestartPriorities.Disabled => "Disabled (not protected)",
        null => "Medium",
        _ => priority,
    };

    /// <summary>Restart order: high first; disabled (never restarted) and unknown last.</summary>
    public static int PriorityRank(string? priority) => priority switch
    {
        HaRestartPriorities.High => 0,
        HaRestartPriorities.Medium => 1,
        HaRestartPriorities.Low => 2,
        _ => 3,
    };

    public static string IsolationResponseText(string? response) => response switch
    {
        HaIsolationResponses.PowerOff => "Power off and restart VMs",
        HaIsolationResponses.Shutdown => "Shut down and restart VMs",
        HaIsolationResponses.LeaveOn => "Leave powered on",
        null => "—",
        _ => response,
    };

    /// <summary>Since a host's datastore heartbeat last changed.</summary>
    public static string HeartbeatAge(long? milliseconds) => milliseconds switch
    {
        null => "not seen",
        < 1000 => "< 1 s ago",
        { } ms => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000.0:0.#} s ago"),
    };

    /// <summary>The one-line settings text of the cluster summary.</summary>
    public static string Settings(Hyperion.Contracts.Center.ClusterHaDto? ha) => ha is { Enabled: true }
        ? $"on; {ha.HostFailuresTolerated} host failure(s) tolerated, isolation response {ha.IsolationResponse}, VM monitoring {(ha.VmMonitoring ? "on" : "off")}, heartbeat datastores {(ha.HeartbeatDatastores.Count == 0 ? "none" : string.Join(", ", ha.HeartbeatDatastores))}"
        : "off";
}
