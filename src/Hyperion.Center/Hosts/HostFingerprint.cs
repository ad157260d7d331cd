using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Hyperion.Center.Hosts;

/// <summary>
/// SHA-256 certificate fingerprints as the Center stores them (64 lower-case hex digits) and as people read them
/// (colon-separated upper-case hex, the form the host agent prints). Mirrors the CLI's pinning rules.
/// </summary>
public static class HostFingerprint
{
    /// <summary>Hex with or without colons, any case → 64 lower-case hex digits; null when it is not a SHA-256 fingerprint.</summary>
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

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.Length == 64 ? builder.ToString() : null;
    }

    /// <summary>The normalized fingerprint of <paramref name="certificate"/>.</summary>
    public static string Compute(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>A normalized fingerprint for people: <c>AB:CD:…</c>.</summary>
    public static string Format(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return string.Join(':', Enumerable.Range(0, normalized.Length / 2).Select(i => normalized.Substring(i * 2, 2).ToUpperInvariant()));
    }
}
