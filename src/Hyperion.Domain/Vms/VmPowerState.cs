namespace Hyperion.Domain.Vms;

/// <summary>The power states vSphere admins know: a suspended VM here is paused in memory.</summary>
public enum VmPowerState
{
    PoweredOff,
    PoweredOn,
    Suspended,
}
