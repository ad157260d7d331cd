namespace Hyperion.Hypervisor.Drivers;

/// <summary>What re-attaching found: nothing running, a controllable instance, or a live but unreachable one.</summary>
/// <param name="Instance">The instance, when one runs (possibly without a monitor).</param>
/// <param name="Paused">Whether the instance's vCPUs are stopped.</param>
/// <param name="Problem">Why the monitor could not be reached, when it could not.</param>
public sealed record VmAttachResult(IVmInstance? Instance, bool Paused, string? Problem)
{
    public static VmAttachResult NotRunning { get; } = new(null, false, null);
}
