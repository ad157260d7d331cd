namespace Hyperion.Contracts.Center;

/// <summary>
/// A Center event (<c>GET /api/events</c>): something that happened, for audit and display. <see cref="Id"/> only
/// grows; <see cref="Type"/> is one of <c>CenterEventTypes</c>; <see cref="ObjectId"/> and <see cref="ObjectName"/>
/// name the object it is about (the name as it was then), null for Center-level events (a user created);
/// <see cref="User"/> is who caused it (null for what hosts report); <see cref="TaskId"/> the task it belongs to, if any.
/// </summary>
public sealed record CenterEventDto(
    long Id,
    DateTimeOffset Time,
    string Type,
    string? ObjectId,
    string? ObjectName,
    string? User,
    string? TaskId,
    string Message);
