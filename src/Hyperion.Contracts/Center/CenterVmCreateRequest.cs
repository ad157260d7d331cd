using Hyperion.Contracts.Vms;

namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>POST /api/vms</c> on the Center: the host agent's create request plus placement. Give a <see cref="Host"/>
/// (id or address) or a <see cref="Cluster"/> (id or name: the Center picks the connected host, not in maintenance,
/// with the most free memory that mounts the datastore); <see cref="Spec"/>'s <c>Datastore</c> names the datastore
/// (the host's default when null). <see cref="Folder"/> is a VM folder id (the datacenter's root VM folder when null).
/// </summary>
public sealed record CenterVmCreateRequest
{
    public string? Host { get; init; }
    public string? Cluster { get; init; }
    public string? Folder { get; init; }
    public VmCreateRequest? Spec { get; init; }
}
