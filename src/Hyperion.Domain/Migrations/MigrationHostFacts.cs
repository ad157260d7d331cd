namespace Hyperion.Domain.Migrations;

/// <summary>What a host offers a migrating VM: its accelerator, the CPU model its VMs get, its QEMU and its physical CPU.</summary>
/// <param name="Name">For messages.</param>
/// <param name="Accelerator"><c>kvm</c>, <c>tcg</c> or <c>simulated</c>.</param>
/// <param name="VmCpuModel">Source: the QEMU CPU model the VM runs with (a cluster baseline, or the host's default). Destination: the host's default (<c>host</c> with KVM, <c>max</c> with TCG).</param>
/// <param name="QemuVersion">As <c>major.minor.micro</c>.</param>
/// <param name="CpuModelName">The physical CPU's model name.</param>
/// <param name="CpuFlags">The physical CPU's feature flags.</param>
public sealed record MigrationHostFacts(string Name, string Accelerator, string VmCpuModel, string QemuVersion, string CpuModelName, IReadOnlyCollection<string> CpuFlags)
{
    /// <summary>Destination: the named CPU models its QEMU can run (a VM with one of them can arrive whatever the host's default).</summary>
    public IReadOnlyCollection<string>? UsableCpuModels { get; init; }
}
