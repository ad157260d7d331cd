namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal, from the Center to the source host: how to start the guest on the destination the moment the stream
/// completes, without a round trip through the Center (the guest is stopped meanwhile). <see cref="Url"/> is the
/// destination agent's base address, trusted only with the certificate whose SHA-256 is
/// <see cref="CertificateSha256"/>; <see cref="Token"/> is the single-use secret the destination gave for this arrival.
/// </summary>
public sealed record MigrationSwitchoverDto(string Url, string MigrationId, string Token, string CertificateSha256);
