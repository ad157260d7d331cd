namespace Hyperion.Contracts.Ha;

/// <summary><c>PUT /api/vms/{id}/ha</c>: the VM's HA overrides, in any power state; fields left null keep their value.</summary>
/// <param name="RestartPriority">One of <see cref="HaRestartPriorities"/>; default for new VMs <c>medium</c>.</param>
/// <param name="Monitoring">VM monitoring for this VM (restart when its QEMU dies, reset when its guest heartbeat stops); default on.</param>
/// <param name="HeartbeatTimeoutSeconds">VM monitoring's failure interval: the guest is reset after this long without a heartbeat (5–3600; default 30, vSphere's "high" sensitivity).</param>
public sealed record VmHaRequest(string? RestartPriority, bool? Monitoring, int? HeartbeatTimeoutSeconds = null);
