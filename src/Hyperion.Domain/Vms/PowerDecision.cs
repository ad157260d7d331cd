namespace Hyperion.Domain.Vms;

/// <summary>The outcome of asking whether a power operation may run from a state.</summary>
/// <param name="Allowed">True when the operation may proceed.</param>
/// <param name="Target">The state the VM is in once the operation completes.</param>
/// <param name="NoOp">True when the VM is already where the operation would take it.</param>
/// <param name="Reason">Why it is refused, when it is.</param>
public sealed record PowerDecision(bool Allowed, VmPowerState Target, bool NoOp, string? Reason)
{
    public static PowerDecision Go(VmPowerState target) => new(true, target, false, null);

    public static PowerDecision Already(VmPowerState state) => new(true, state, true, null);

    public static PowerDecision Refuse(VmPowerState current, string reason) => new(false, current, false, reason);
}
