namespace Hyperion.Contracts.Center;

/// <summary>
/// A folder. <see cref="Kind"/> is <c>datacenter</c> (holds datacenters), <c>host</c> (hosts and clusters) or <c>vm</c>.
/// <see cref="ParentId"/> is the parent folder, or the datacenter for a datacenter's root host/VM folder, or null for the root folder.
/// </summary>
public sealed record FolderDto(string Id, string Name, string Kind, string? ParentId, string? DatacenterId);
