namespace Hyperion.Center.Inventory;

/// <summary>
/// Filters of <c>GET /api/hosts</c>, as the client sent them. <see cref="Cluster"/>: a cluster id or name.
/// <see cref="ConnectionState"/>: <c>connected</c>, <c>notResponding</c> or <c>disconnected</c>.
/// </summary>
public sealed record HostListFilter(string? Cluster = null, string? ConnectionState = null);
