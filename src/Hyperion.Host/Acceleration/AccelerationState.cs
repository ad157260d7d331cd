using Hyperion.Hypervisor.Qemu.Acceleration;

namespace Hyperion.Host.Acceleration;

/// <summary>The accelerator chosen at agent start; every VM started by this agent uses it.</summary>
internal sealed class AccelerationState(AccelerationDecision decision)
{
    public AccelerationDecision Decision { get; } = decision;
}
