namespace Hyperion.Domain.Inventory;

/// <summary>A host's connection state as the Center sees it (vSphere's HostSystemConnectionState).</summary>
public enum HostConnectionState
{
    /// <summary>Heartbeats arrive; the Center talks to the host.</summary>
    Connected,

    /// <summary>The Center wants the host connected but lost its heartbeat.</summary>
    NotResponding,

    /// <summary>An admin disconnected the host; the Center does not talk to it.</summary>
    Disconnected,
}
