namespace Hyperion.Hypervisor.Drivers;

/// <summary>A change of a running instance that the agent reflects in the VM's power state.</summary>
public enum VmRuntimeEvent
{
    Paused,
    Resumed,
}
