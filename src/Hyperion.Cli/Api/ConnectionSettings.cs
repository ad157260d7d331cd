namespace Hyperion.Cli.Api;

/// <summary>How to reach and authenticate to a Hyperion server, resolved from options and environment.</summary>
/// <param name="Server">Base URL of the host agent or Center.</param>
/// <param name="User">HTTP Basic user name.</param>
/// <param name="Password">HTTP Basic password; empty when none was given.</param>
/// <param name="Insecure">Accept any server certificate.</param>
/// <param name="Fingerprint">Pinned SHA-256 certificate fingerprint, normalized (64 upper-case hex digits), or null.</param>
public sealed record ConnectionSettings(Uri Server, string User, string Password, bool Insecure, string? Fingerprint);
