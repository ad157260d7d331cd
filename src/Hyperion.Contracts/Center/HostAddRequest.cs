namespace Hyperion.Contracts.Center;

/// <summary>
/// Adds a host agent to the Center: its HTTPS <see cref="Address"/> (<c>https://ADDRESS:PORT</c>), root credentials,
/// the SHA-256 certificate <see cref="Fingerprint"/> the admin confirmed (without it the Center answers 409 with the
/// host's fingerprint), and where it goes: a <see cref="Cluster"/> (id or name) or standalone in the root host folder of
/// <see cref="Datacenter"/> (id or name).
/// </summary>
public sealed record HostAddRequest(string? Address, string? User, string? Password, string? Fingerprint, string? Cluster, string? Datacenter);
