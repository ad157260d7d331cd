namespace Hyperion.Contracts.Events;

/// <summary>Something that happened on the host; served by <c>GET /api/events</c> and streamed live as server-sent events.</summary>
/// <param name="Id">Increasing sequence number on this host.</param>
/// <param name="Type">Stable type such as <c>vm.powered-on</c>.</param>
public sealed record EventDto(long Id, DateTimeOffset Time, string Type, string? VmId, string? VmName, string Message);
