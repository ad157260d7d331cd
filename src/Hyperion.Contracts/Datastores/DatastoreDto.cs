namespace Hyperion.Contracts.Datastores;

public sealed record DatastoreDto(string Name, string Path, string Type, long CapacityBytes, long FreeBytes);
