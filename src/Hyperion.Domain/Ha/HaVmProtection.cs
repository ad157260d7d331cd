namespace Hyperion.Domain.Ha;

/// <summary>A protected VM's state in the master's plan.</summary>
public enum HaVmProtection
{
    /// <summary>A live host holds its lease.</summary>
    Protected,

    /// <summary>Assigned to a surviving host, which is restarting it.</summary>
    Restarting,

    /// <summary>No surviving host can take it now; retried every round.</summary>
    Unplaced,

    /// <summary>Its host is cut off but alive and shows it running (isolation response leave-on): left alone.</summary>
    RunningOnIsolatedHost,

    /// <summary>Not decided yet: its host still holds its lease, or its heartbeat is still being watched, or still shows it running.</summary>
    Waiting,
}
