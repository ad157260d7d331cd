namespace Hyperion.Hypervisor.Qemu.Acceleration;

/// <summary>What happened when a probe guest was booted under KVM.</summary>
public sealed record KvmProbeResult(bool Booted, TimeSpan Elapsed, string Detail);
