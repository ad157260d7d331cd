namespace Hyperion.Contracts.Ha;

/// <summary>A VM's HA protection state.</summary>
public static class HaVmProtectionStates
{
    /// <summary>Running on a host that holds the VM's lease: will be restarted if that host fails.</summary>
    public const string Protected = "protected";

    /// <summary>Its host failed; the master has chosen a host and the restart is under way.</summary>
    public const string Restarting = "restarting";

    /// <summary>Its host failed and no surviving host can take it now; retried when capacity appears.</summary>
    public const string Unplaced = "unplaced";

    /// <summary>Its host is partitioned/isolated and keeps it running (isolation response leave-on): not restarted.</summary>
    public const string RunningOnIsolatedHost = "running-on-isolated-host";

    /// <summary>Waiting: its host lost its lease, the VM is still shown running in the host's datastore heartbeat.</summary>
    public const string Waiting = "waiting";
}
