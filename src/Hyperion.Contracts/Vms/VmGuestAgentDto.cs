namespace Hyperion.Contracts.Vms;

/// <summary>The guest agent of a running VM, as last polled by its host.</summary>
/// <param name="State"><c>running</c> (it answered the last ping) or <c>notRunning</c> (never answered since power-on, or stopped answering).</param>
/// <param name="Version">The agent's version (<c>guest-info</c>), once it has answered.</param>
/// <param name="HostName">The guest's host name (<c>guest-get-host-name</c>), when the agent tells it.</param>
/// <param name="LastSeenAt">When the agent last answered a ping; null: never since power-on.</param>
public sealed record VmGuestAgentDto(string State, string? Version, string? HostName, DateTimeOffset? LastSeenAt);
