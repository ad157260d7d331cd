using Hyperion.Domain.Hosts;
using Hyperion.Hypervisor.Hosts;

namespace Hyperion.Host;

/// <summary>The most one VM may be given on this host.</summary>
internal sealed class HostCapacityProvider(HostHardware hardware)
{
    public HostCapacity Current { get; } = new(hardware.LogicalCpus, hardware.MemoryMiB);
}
