namespace Hyperion.Host;

/// <summary>Facts fixed at agent start.</summary>
internal sealed record HostIdentity(string Fingerprint, DateTimeOffset StartedAt);
