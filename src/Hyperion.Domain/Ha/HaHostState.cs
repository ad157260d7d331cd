namespace Hyperion.Domain.Ha;

/// <summary>A host's HA state as the master judges it.</summary>
public enum HaHostState
{
    Connected,
    Master,
    Partitioned,
    Isolated,
    Failed,
    Maintenance,

    /// <summary>Lease gone, heartbeat not yet watched long enough to tell dead from partitioned.</summary>
    Unknown,
}
