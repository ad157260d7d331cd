namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>PUT /api/clusters/{id}/cpu-baseline</c>: the QEMU CPU model (e.g. <c>Westmere-v1</c>) every VM powered on in the
/// cluster gets from now on; null or empty clears it. Every host of the cluster must be connected and able to run it.
/// Running VMs keep their CPU model until their next power-on, as with vSphere's EVC.
/// </summary>
public sealed record ClusterCpuBaselineRequest(string? Model);
