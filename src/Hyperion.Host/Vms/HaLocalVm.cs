using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>A VM of this host as HA needs to see it (a snapshot taken under the VM's gate).</summary>
/// <param name="Busy">An operation (power-on, migration, reconfigure…) holds the VM now: HA leaves it alone this round.</param>
/// <param name="GuestHeartbeat">A file that grows while the guest is alive (the tiny guest's serial log: it ticks every 100 ms); null when the guest has no heartbeat HA can read.</param>
/// <param name="Pid">Its QEMU while it runs.</param>
/// <param name="GuestAgentSeenAt">For a VM with the guest agent channel: when its agent last answered a ping through this QEMU (null: never). Such a VM's heartbeat is its agent, not <paramref name="GuestHeartbeat"/>.</param>
internal sealed record HaLocalVm(string Id, VmSpec Spec, string Datastore, string Folder, VmPowerState PowerState, VmExitCause LastExit, string PidFile, bool Migrating, bool Busy = false, string? GuestHeartbeat = null, int? Pid = null, DateTimeOffset? GuestAgentSeenAt = null);
