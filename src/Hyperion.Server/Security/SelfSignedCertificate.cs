using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hyperion.Server.Security;

/// <summary>
/// A server's self-signed TLS certificate, generated at first start and kept in its data directory (like ESXi's
/// rui.crt). Its SHA-256 fingerprint is what clients pin; it is also written to <c>certificate.sha256</c>.
/// </summary>
public static class SelfSignedCertificate
{
    public const string FingerprintFileName = "certificate.sha256";

    /// <param name="fileName">The PKCS#12 file in <paramref name="dataDirectory"/>, e.g. <c>host.pfx</c>.</param>
    /// <param name="organization">The subject's O=, e.g. <c>Hyperion host</c>.</param>
    public static X509Certificate2 LoadOrCreate(string dataDirectory, string fileName, string organization, IEnumerable<IPAddress> addresses, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(time);
        var path = Path.Combine(dataDirectory, fileName);
        X509Certificate2 certificate;
        if (File.Exists(path))
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.Exportable);
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={Environment.MachineName}, O={organization}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddDnsName(Environment.MachineName);
            san.AddIpAddress(IPAddress.Loopback);
            foreach (var address in addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.Loopback)))
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = time.GetUtcNow();
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
            var pfx = created.Export(X509ContentType.Pkcs12);
            WriteAtomically(path, pfx);
            certificate = X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);
        }

        // Rewritten at every start so the file always matches the certificate actually served.
        File.WriteAllText(Path.Combine(dataDirectory, FingerprintFileName), Fingerprint(certificate) + "\n");
        return certificate;
    }

    /// <summary>SHA-256 of the DER certificate as colon-separated upper-case hex, the form admins compare.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        return Contracts.CertificateFingerprints.Format(Contracts.CertificateFingerprints.Compute(certificate));
    }

    /// <summary>Writes a private key file (mode 0600) so that a crash never leaves half a file.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, content);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
