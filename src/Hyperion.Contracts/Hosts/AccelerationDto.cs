namespace Hyperion.Contracts.Hosts;

/// <summary>Which accelerator VMs use (<c>kvm</c> or <c>tcg</c>) and why.</summary>
/// <param name="Mode">The accelerator in use: <c>kvm</c> or <c>tcg</c>.</param>
/// <param name="Requested">What the operator asked for: <c>auto</c>, <c>kvm</c> or <c>tcg</c>.</param>
/// <param name="Reason">How the choice was made (probe result or override).</param>
/// <param name="ProbeMilliseconds">How long the KVM probe guest took, when one ran.</param>
public sealed record AccelerationDto(string Mode, string Requested, string Reason, long? ProbeMilliseconds)
{
    /// <summary>The QEMU CPU model VMs get here unless a cluster CPU baseline says otherwise (<c>host</c> with KVM, <c>max</c> with TCG).</summary>
    public string? VmCpuModel { get; init; }
}
