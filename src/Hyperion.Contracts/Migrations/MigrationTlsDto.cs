namespace Hyperion.Contracts.Migrations;

/// <summary>
/// Host-internal: TLS credentials for one migration stream, issued by the Center's CA (PEM). The destination gets a
/// server certificate, the source a client certificate; each verifies the other against <see cref="CaPem"/>.
/// </summary>
/// <param name="Hostname">The name in the destination's certificate (the source checks it).</param>
public sealed record MigrationTlsDto(string CaPem, string CertificatePem, string KeyPem, string Hostname);
