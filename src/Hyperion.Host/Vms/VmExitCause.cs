namespace Hyperion.Host.Vms;

/// <summary>Why a VM's QEMU last stopped.</summary>
internal enum VmExitCause
{
    /// <summary>Never stopped while this agent watched it.</summary>
    None,

    /// <summary>Powered off or shut down on request.</summary>
    Requested,

    /// <summary>The guest OS powered the VM off.</summary>
    GuestShutdown,

    /// <summary>QEMU died (or was gone when the agent started): what VM monitoring restarts.</summary>
    Crashed,

    /// <summary>Killed by HA's isolation response.</summary>
    Fenced,

    /// <summary>Left for another host by live migration.</summary>
    MigratedAway,
}
