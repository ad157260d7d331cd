namespace Hyperion.Contracts.Hosts;

/// <summary>
/// Host-internal, from the Center: the cluster's CPU baseline (a QEMU CPU model such as <c>Westmere-v1</c>) that VMs
/// powered on here get from now on; null clears it. Running VMs keep their CPU model until their next power-on.
/// </summary>
public sealed record HostCpuBaselineRequest(string? Model);

/// <summary>The baseline set on the host and the CPU model VMs powered on there now get.</summary>
public sealed record HostCpuBaselineDto(string? Baseline, string VmCpuModel);
