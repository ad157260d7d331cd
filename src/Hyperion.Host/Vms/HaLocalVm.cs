using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>A VM of this host as HA needs to see it (a snapshot taken under the VM's gate).</summary>
/// <param name="Busy">An operation (power-on, migration, reconfigure…) holds the VM now: HA leaves it alone this round.</param>
internal sealed record HaLocalVm(string Id, VmSpec Spec, string Datastore, string Folder, VmPowerState PowerState, VmExitCause LastExit, string PidFile, bool Migrating, bool Busy = false);
