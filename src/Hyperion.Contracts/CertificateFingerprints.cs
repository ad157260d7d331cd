using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Hyperion.Contracts;

/// <summary>
/// The SHA-256 certificate fingerprint as Hyperion's servers print it and clients pin it: accepted as hex with or
/// without colons in any case, kept as 64 upper-case hex digits, shown as <c>AB:CD:…</c>.
/// </summary>
public static class CertificateFingerprints
{
    /// <summary>Hex with or without colons, any case → 64 upper-case hex digits; null when it is not a SHA-256 fingerprint.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(64);
        foreach (var c in value.Trim())
        {
            if (c == ':')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.Length == 64 ? builder.ToString() : null;
    }

    /// <summary>The SHA-256 fingerprint of <paramref name="certificate"/>: 64 upper-case hex digits.</summary>
    public static string Compute(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>A fingerprint for people: <c>AB:CD:…</c> (upper case, whatever the case given).</summary>
    public static string Format(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return string.Join(':', Enumerable.Range(0, fingerprint.Length / 2).Select(i => fingerprint.Substring(i * 2, 2).ToUpperInvariant()));
    }
}
