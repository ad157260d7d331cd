namespace Hyperion.Contracts.Ha;

/// <summary>What a host does to its protected VMs when it loses its HA lease (isolated or partitioned from etcd's majority).</summary>
public static class HaIsolationResponses
{
    /// <summary>Kill the VMs at once (vSphere "power off and restart VMs"): the fastest safe restart elsewhere. The default.</summary>
    public const string PowerOff = "power-off";

    /// <summary>ACPI shutdown; the master restarts them elsewhere once the host's datastore heartbeat shows them off.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>Keep them running; the master leaves them alone while the host's datastore heartbeat shows them running.</summary>
    public const string LeaveOn = "leave-on";

    public static IReadOnlyList<string> All { get; } = [PowerOff, Shutdown, LeaveOn];
}
