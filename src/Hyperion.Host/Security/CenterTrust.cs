using System.Security.Cryptography.X509Certificates;
using Hyperion.Domain.Errors;
using Hyperion.Server.Security;

namespace Hyperion.Host.Security;

/// <summary>
/// The CA of the Center that manages this host (vCenter's role in ESXi's trust), kept in <c>center-ca.pem</c> in the
/// data directory. A client certificate issued by it authenticates as the Center, with root's rights; installing a
/// new CA (the host added to another Center) replaces the old one. Thread-safe.
/// </summary>
public sealed class CenterTrust
{
    public const string FileName = "center-ca.pem";
    public const string CenterUser = "center";

    private readonly string _path;
    private readonly TimeProvider _time;
    private X509Certificate2? _authority;

    public CenterTrust(string dataDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        _path = Path.Combine(dataDirectory, FileName);
        _time = time;
        if (File.Exists(_path))
        {
            _authority = X509Certificate2.CreateFromPem(File.ReadAllText(_path));
        }
    }

    /// <summary>The trusted CA's SHA-256 fingerprint, or null when no Center manages this host.</summary>
    public string? AuthorityFingerprint => Volatile.Read(ref _authority) is { } ca ? SelfSignedCertificate.Fingerprint(ca) : null;

    /// <summary>Trusts <paramref name="pem"/> (one CA certificate) from now on, instead of any earlier Center.</summary>
    /// <exception cref="DomainException"><see cref="ErrorCodes.InvalidArgument"/> when it is not a CA certificate.</exception>
    public void Install(string? pem)
    {
        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPem(pem ?? string.Empty);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"certificate is not a PEM certificate: {ex.Message}", "certificatePem"));
        }

        var constraints = authority.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
        {
            authority.Dispose();
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "certificate is not a CA certificate (basic constraints CA:true)", "certificatePem"));
        }

        var temp = _path + ".tmp";
        File.WriteAllText(temp, authority.ExportCertificatePem());
        File.Move(temp, _path, overwrite: true);
        Interlocked.Exchange(ref _authority, authority)?.Dispose();
    }

    public bool Trusts(X509Certificate2 client) =>
        Volatile.Read(ref _authority) is { } authority && CenterTrustChain.IsIssuedBy(client, authority, _time);
}
