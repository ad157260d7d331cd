using Hyperion.Contracts.Hosts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Center.Hosts;

/// <summary>What one round of calls to a host agent returned: its description (with its datastores) and its VMs.</summary>
public sealed record HostCallResult(HostInfoDto Host, IReadOnlyList<VmDto> Vms);
