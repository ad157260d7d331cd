namespace Hyperion.Center.Events;

/// <summary>
/// Filters of <c>GET /api/events</c>, as the client sent them. <see cref="Object"/>: an inventory id, else an object
/// name (as the event recorded it). <see cref="Type"/>: exact, or a prefix ending in <c>.</c> (<c>vm.</c>) or <c>*</c>.
/// <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive): ISO 8601 times. <see cref="User"/>: exact user name.
/// </summary>
public sealed record EventListFilter(string? Object = null, string? Type = null, string? From = null, string? To = null, string? User = null);
