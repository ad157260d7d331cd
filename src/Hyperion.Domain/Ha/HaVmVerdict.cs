namespace Hyperion.Domain.Ha;

/// <summary>The plan's word on one protected VM; <see cref="TargetHostId"/> is set when it is (to be) restarted there.</summary>
public sealed record HaVmVerdict(HaVmRecord Vm, HaVmProtection Protection, string? TargetHostId, string Message);
