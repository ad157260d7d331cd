namespace Hyperion.Host.Vms;

/// <summary>Why the agent expects a VM's QEMU to exit, if it does.</summary>
internal enum ExpectedExit
{
    None,
    PowerOff,
    Shutdown,

    /// <summary>The VM now runs on another host; this QEMU, paused after switch-over, is let go.</summary>
    MigratedAway,

    /// <summary>Killed by HA's isolation response (the host lost its lease).</summary>
    Fenced,
}
