namespace Hyperion.Host.Vms;

/// <summary>The guest agent of one QEMU process as last polled (a new QEMU starts with none).</summary>
/// <param name="Pid">The QEMU process it was polled through.</param>
/// <param name="Running">It answered the last ping.</param>
/// <param name="Version">From <c>guest-info</c>, once it has answered.</param>
/// <param name="HostName">From <c>guest-get-host-name</c>.</param>
/// <param name="LastSeenAt">When it last answered a ping; null: never for this process.</param>
internal sealed record GuestAgentState(int Pid, bool Running, string? Version, string? HostName, DateTimeOffset? LastSeenAt);
