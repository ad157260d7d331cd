namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>What a guest agent says about itself.</summary>
/// <param name="Version">The agent's version (<c>guest-info</c>).</param>
/// <param name="HostName">The guest's host name, or null when the agent does not support <c>guest-get-host-name</c>.</param>
public sealed record GuestAgentInfo(string Version, string? HostName);
