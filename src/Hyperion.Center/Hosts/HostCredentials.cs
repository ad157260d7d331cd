using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;

namespace Hyperion.Center.Hosts;

/// <summary>
/// How the Center calls a managed host: over TLS pinned to the host's confirmed fingerprint, authenticated by the
/// Center's client certificate (<see cref="CenterCertificateAuthority"/>). A record still carrying a password (added
/// before the Center had its CA) keeps using it until it is reconnected, which enrolls it.
/// </summary>
public sealed class HostCredentials(CenterCertificateAuthority authority)
{
    public CenterCertificateAuthority Authority => authority;

    public HostConnectionSettings For(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var endpoint = new HostEndpoint(host.Address, host.Port);
        return host.Password is null
            ? new HostConnectionSettings(endpoint, host.CertificateSha256, null, null, authority.ClientCertificate)
            : new HostConnectionSettings(endpoint, host.CertificateSha256, host.UserName, host.Password);
    }

    /// <summary>Settings that authenticate with the certificate only, for an endpoint not yet recorded.</summary>
    public HostConnectionSettings Certificate(HostEndpoint endpoint, string fingerprint) =>
        new(endpoint, fingerprint, null, null, authority.ClientCertificate);
}
