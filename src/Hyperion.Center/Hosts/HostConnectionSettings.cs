using System.Security.Cryptography.X509Certificates;

namespace Hyperion.Center.Hosts;

/// <summary>
/// Everything needed to call one host agent: where, which certificate to trust (normalized fingerprint), and as whom:
/// the Center's <see cref="ClientCertificate"/> (mutual TLS), or root's password while the host is being added.
/// </summary>
public sealed record HostConnectionSettings(HostEndpoint Endpoint, string Fingerprint, string? UserName, string? Password, X509Certificate2? ClientCertificate = null);
