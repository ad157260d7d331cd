namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>POST /api/folders</c>: a folder named <see cref="Name"/> in the folder <see cref="Parent"/> (an id); it holds what
/// its parent holds (datacenters, hosts and clusters, or VMs).
/// </summary>
public sealed record FolderCreateRequest(string? Name, string? Parent);
