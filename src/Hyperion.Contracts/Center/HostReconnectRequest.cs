namespace Hyperion.Contracts.Center;

/// <summary>
/// Optional body of <c>POST /api/hosts/{id}/reconnect</c>: root's credentials, to enrol the host again when it no
/// longer trusts the Center's CA (reinstalled, or added to another Center meanwhile), as vCenter asks for them.
/// </summary>
public sealed record HostReconnectRequest(string? User, string? Password);
