using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>A VM of this host as HA needs to see it (a snapshot taken under the VM's gate).</summary>
internal sealed record HaLocalVm(string Id, VmSpec Spec, string Datastore, string Folder, VmPowerState PowerState, VmExitCause LastExit, string PidFile, bool Migrating);
