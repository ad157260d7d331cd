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

    /// <summary>The cluster's CPU baseline as set on this host by the Center (null: none; VMs get <c>host</c>/<c>max</c>).</summary>
    public string? CpuBaseline { get; init; }

    /// <summary>The named, migration-safe QEMU CPU models this host can run with its accelerator (candidates for a cluster baseline).</summary>
    public IReadOnlyList<string>? UsableCpuModels { get; init; }
}
