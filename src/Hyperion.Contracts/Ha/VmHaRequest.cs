namespace Hyperion.Contracts.Ha;

/// <summary><c>PUT /api/vms/{id}/ha</c>: the VM's HA overrides, in any power state; fields left null keep their value.</summary>
/// <param name="RestartPriority">One of <see cref="HaRestartPriorities"/>; default for new VMs <c>medium</c>.</param>
/// <param name="Monitoring">VM monitoring for this VM (restart when its QEMU dies or its guest heartbeat stops); default on.</param>
public sealed record VmHaRequest(string? RestartPriority, bool? Monitoring);
