namespace Hyperion.Contracts.Hosts;

/// <summary><c>PUT /api/host/center-trust</c>: the managing Center's CA certificate, PEM.</summary>
public sealed record CenterTrustRequest(string? CertificatePem);

/// <summary>The SHA-256 fingerprint of the Center CA this host trusts, or null when no Center manages it.</summary>
public sealed record CenterTrustDto(string? AuthorityFingerprint);
