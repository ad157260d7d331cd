using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hyperion.Server.Security;

namespace Hyperion.Center.Security;

/// <summary>
/// The Center's own certificate authority (vCenter's VMCA role, reduced to what Center ↔ host trust needs): a CA
/// generated at first start (<c>center-ca.pfx</c>, 10 years) and the client certificate it issues to the Center
/// (<c>center-client.pfx</c>, 2 years, re-issued when it nears its end). When the Center adds a host it installs the
/// CA certificate on the host with the host's root credentials once; every later call authenticates with the client
/// certificate (mutual TLS: the Center pins the host's certificate, the host checks the Center's chain), so no host
/// password is kept.
/// </summary>
public sealed class CenterCertificateAuthority : IDisposable
{
    public const string AuthorityFileName = "center-ca.pfx";
    public const string ClientFileName = "center-client.pfx";

    private CenterCertificateAuthority(X509Certificate2 authority, X509Certificate2 client)
    {
        Authority = authority;
        ClientCertificate = client;
    }

    /// <summary>The CA (with its private key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The Center's client certificate (with its private key), issued by <see cref="Authority"/>.</summary>
    public X509Certificate2 ClientCertificate { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public static CenterCertificateAuthority LoadOrCreate(string dataDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var authorityPath = Path.Combine(dataDirectory, AuthorityFileName);
        var clientPath = Path.Combine(dataDirectory, ClientFileName);
        X509Certificate2 authority;
        if (File.Exists(authorityPath))
        {
            authority = X509CertificateLoader.LoadPkcs12FromFile(authorityPath, password: null, X509KeyStorageFlags.Exportable);
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=Hyperion Center CA {Guid.NewGuid():N}, O=Hyperion Center", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            var pfx = created.Export(X509ContentType.Pkcs12);
            SelfSignedCertificate.WriteAtomically(authorityPath, pfx);
            authority = X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
            File.Delete(clientPath);
        }

        X509Certificate2? client = null;
        if (File.Exists(clientPath))
        {
            client = X509CertificateLoader.LoadPkcs12FromFile(clientPath, password: null, X509KeyStorageFlags.Exportable);
            if (client.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(30) || !CenterTrustChain.IsIssuedBy(client, authority, time))
            {
                client.Dispose();
                client = null;
            }
        }

        client ??= Issue(authority, clientPath, now);
        return new CenterCertificateAuthority(authority, client);
    }

    /// <summary>
    /// Credentials for one migration stream, valid for a day: a server certificate for the destination (its name
    /// <paramref name="hostname"/>) and a client certificate for the source, both issued by this CA, which each side
    /// trusts for that stream alone (QEMU's tls-creds-x509 with peer verification).
    /// </summary>
    public (Contracts.Migrations.MigrationTlsDto Server, Contracts.Migrations.MigrationTlsDto Client) IssueMigrationCredentials(string hostname, DateTimeOffset now)
    {
        var ca = Authority.ExportCertificatePem();
        (string Cert, string Key) Issue(string oid, string name)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}, O=Hyperion migration", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(oid)], false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            using var issued = request.Create(Authority, now.AddMinutes(-10), now.AddDays(1), serial);
            return (issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }

        var server = Issue("1.3.6.1.5.5.7.3.1", hostname);
        var client = Issue(CenterTrustChain.ClientAuthenticationOid, $"{hostname}-source");
        return (new(ca, server.Cert, server.Key, hostname), new(ca, client.Cert, client.Key, hostname));
    }

    public void Dispose()
    {
        ClientCertificate.Dispose();
        Authority.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string path, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hyperion Center, O=Hyperion Center", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CenterTrustChain.ClientAuthenticationOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now.AddYears(2) < authority.NotAfter ? now.AddYears(2) : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        using var issued = request.Create(authority, now.AddDays(-1), notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var pfx = withKey.Export(X509ContentType.Pkcs12);
        SelfSignedCertificate.WriteAtomically(path, pfx);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
    }
}
