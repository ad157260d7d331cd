namespace Hyperion.Host.Datastores;

/// <summary>A directory that holds VM folders: local disk or a shared mount.</summary>
public sealed record Datastore(string Name, string Path, string Type);
