namespace Hyperion.Contracts.Center;

/// <summary>A datacenter, with the ids of its root host folder and root VM folder.</summary>
public sealed record DatacenterDto(string Id, string Name, string ParentFolderId, string HostFolderId, string VmFolderId);
