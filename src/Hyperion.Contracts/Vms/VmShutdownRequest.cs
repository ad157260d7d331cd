namespace Hyperion.Contracts.Vms;

/// <summary>Body of <c>POST /api/vms/{id}/shutdown</c>: how long to wait for the guest to power off.</summary>
public sealed record VmShutdownRequest(int? TimeoutSeconds = null);
