namespace Hyperion.Contracts.Vms;

/// <summary>A new disk of <see cref="Size"/> (e.g. <c>1G</c>), or an existing image at <see cref="Path"/> (relative to the datastore) to attach.</summary>
public sealed record VmDiskRequest(string? Size = null, string? Path = null);
