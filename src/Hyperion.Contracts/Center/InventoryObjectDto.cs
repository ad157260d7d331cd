namespace Hyperion.Contracts.Center;

/// <summary>
/// An inventory object found by its path (<c>GET /api/inventory/resolve?path=/DC1/host/Cluster1</c>).
/// <see cref="Kind"/> is <c>folder</c>, <c>datacenter</c>, <c>cluster</c>, <c>host</c>, <c>vm</c>, <c>datastore</c> or
/// <c>network</c>; <see cref="Path"/> is the canonical path (<c>/</c> is the root folder).
/// </summary>
public sealed record InventoryObjectDto(string Id, string Name, string Kind, string Path);
