namespace Hyperion.Domain.Vms;

/// <summary>The one exhaustive table of VM power transitions.</summary>
public static class VmPowerTransitions
{
    public static PowerDecision Decide(VmPowerState current, VmPowerOperation operation) => (current, operation) switch
    {
        (VmPowerState.PoweredOff, VmPowerOperation.PowerOn) => PowerDecision.Go(VmPowerState.PoweredOn),
        (VmPowerState.PoweredOff, VmPowerOperation.PowerOff) => PowerDecision.Already(VmPowerState.PoweredOff),
        (VmPowerState.PoweredOff, _) => PowerDecision.Refuse(current, $"cannot {Describe(operation)} a powered-off VM"),

        (VmPowerState.PoweredOn, VmPowerOperation.PowerOn) => PowerDecision.Already(VmPowerState.PoweredOn),
        (VmPowerState.PoweredOn, VmPowerOperation.PowerOff) => PowerDecision.Go(VmPowerState.PoweredOff),
        (VmPowerState.PoweredOn, VmPowerOperation.Shutdown) => PowerDecision.Go(VmPowerState.PoweredOff),
        (VmPowerState.PoweredOn, VmPowerOperation.Reset) => PowerDecision.Go(VmPowerState.PoweredOn),
        (VmPowerState.PoweredOn, VmPowerOperation.Suspend) => PowerDecision.Go(VmPowerState.Suspended),
        (VmPowerState.PoweredOn, VmPowerOperation.Resume) => PowerDecision.Already(VmPowerState.PoweredOn),

        (VmPowerState.Suspended, VmPowerOperation.Resume) => PowerDecision.Go(VmPowerState.PoweredOn),
        (VmPowerState.Suspended, VmPowerOperation.PowerOn) => PowerDecision.Go(VmPowerState.PoweredOn),
        (VmPowerState.Suspended, VmPowerOperation.PowerOff) => PowerDecision.Go(VmPowerState.PoweredOff),
        (VmPowerState.Suspended, VmPowerOperation.Suspend) => PowerDecision.Already(VmPowerState.Suspended),
        (VmPowerState.Suspended, VmPowerOperation.Shutdown) => PowerDecision.Refuse(current, "cannot shut down a suspended VM: the guest cannot see the power button; resume it first or power it off"),
        (VmPowerState.Suspended, VmPowerOperation.Reset) => PowerDecision.Refuse(current, "cannot reset a suspended VM: resume it first"),

        _ => throw new ArgumentOutOfRangeException(nameof(operation), $"unknown transition {current}/{operation}"),
    };

    /// <summary>Reconfiguration, unregistering and deleting need a powered-off VM, as in vSphere.</summary>
    public static bool AllowsConfigurationChange(VmPowerState current) => current == VmPowerState.PoweredOff;

    public static string Describe(VmPowerOperation operation) => operation switch
    {
        VmPowerOperation.PowerOn => "power on",
        VmPowerOperation.PowerOff => "power off",
        VmPowerOperation.Shutdown => "shut down",
        VmPowerOperation.Reset => "reset",
        VmPowerOperation.Suspend => "suspend",
        VmPowerOperation.Resume => "resume",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
