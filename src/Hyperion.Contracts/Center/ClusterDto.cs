namespace Hyperion.Contracts.Center;

/// <summary>A cluster of hosts, in a host folder of <see cref="DatacenterId"/>.</summary>
public sealed record ClusterDto(string Id, string Name, string FolderId, string DatacenterId);
