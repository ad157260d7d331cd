namespace Hyperion.Domain.Ha;

/// <summary>One round of the master: a verdict per protected VM, and the new restart assignments to make.</summary>
public sealed record HaRestartPlan(IReadOnlyList<HaVmVerdict> Verdicts, IReadOnlyList<HaVmVerdict> NewAssignments);
