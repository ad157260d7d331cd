namespace Hyperion.Hypervisor.Qemu.Acceleration;

/// <summary>Chooses KVM only where a guest really boots under it; pure, so every branch is unit tested.</summary>
public static class AccelerationPolicy
{
    public static readonly IReadOnlyList<string> Choices = ["auto", "kvm", "tcg"];

    /// <summary>Whether a probe is worth running for this request.</summary>
    public static bool NeedsProbe(string requested, bool kvmDevicePresent) => requested == "auto" && kvmDevicePresent;

    public static AccelerationDecision Decide(string requested, bool kvmDevicePresent, KvmProbeResult? probe) => requested switch
    {
        "tcg" => new AccelerationDecision("tcg", requested, "forced by --accel tcg", null),
        "kvm" => new AccelerationDecision("kvm", requested, kvmDevicePresent ? "forced by --accel kvm (not probed)" : "forced by --accel kvm, but /dev/kvm is missing: VMs will fail to start", null),
        "auto" when !kvmDevicePresent => new AccelerationDecision("tcg", requested, "/dev/kvm not present: software emulation (TCG)", null),
        "auto" when probe is null => new AccelerationDecision("tcg", requested, "KVM not probed: software emulation (TCG)", null),
        "auto" when probe.Booted => new AccelerationDecision("kvm", requested, $"KVM probe guest booted in {probe.Elapsed.TotalMilliseconds:F0} ms", probe.Elapsed),
        "auto" => new AccelerationDecision("tcg", requested, $"KVM probe failed ({probe.Detail}): software emulation (TCG)", probe.Elapsed),
        _ => throw new ArgumentException($"unknown acceleration '{requested}': use auto, kvm or tcg", nameof(requested)),
    };
}
