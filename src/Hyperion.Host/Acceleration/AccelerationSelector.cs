using Hyperion.Host.Images;
using Hyperion.Hypervisor.Hosts;
using Hyperion.Hypervisor.Qemu.Acceleration;

namespace Hyperion.Host.Acceleration;

/// <summary>Runs the KVM probe when the policy asks for one and returns the decision.</summary>
internal static class AccelerationSelector
{
    public static async Task<AccelerationDecision> SelectAsync(HostAgentOptions options, HostHardware hardware, ImageCatalog images, TimeProvider time, CancellationToken cancellationToken)
    {
        KvmProbeResult? probe = null;
        if (AccelerationPolicy.NeedsProbe(options.Accel, hardware.KvmDevicePresent))
        {
            if (images.TryGetTiny() is { } tiny)
            {
                probe = await new KvmProbe(options.QemuBinary, time).RunAsync(tiny.Kernel, tiny.Initrd, options.ProbeDeadline, cancellationToken);
            }
            else
            {
                probe = new KvmProbeResult(false, TimeSpan.Zero, "no probe guest: the tiny guest is not built");
            }
        }

        return AccelerationPolicy.Decide(options.Accel, hardware.KvmDevicePresent, probe);
    }
}
