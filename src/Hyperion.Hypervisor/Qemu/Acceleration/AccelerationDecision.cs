namespace Hyperion.Hypervisor.Qemu.Acceleration;

/// <summary>The accelerator VMs on this host use, and why.</summary>
/// <param name="Mode"><c>kvm</c> or <c>tcg</c>.</param>
/// <param name="Requested"><c>auto</c>, <c>kvm</c> or <c>tcg</c>.</param>
public sealed record AccelerationDecision(string Mode, string Requested, string Reason, TimeSpan? ProbeTime)
{
    public string CpuModel => Mode == "kvm" ? "host" : "max";
}
