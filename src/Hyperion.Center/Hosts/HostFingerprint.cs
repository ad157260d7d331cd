using System.Security.Cryptography.X509Certificates;
using Hyperion.Contracts;

namespace Hyperion.Center.Hosts;

/// <summary>
/// SHA-256 certificate fingerprints as the Center stores them (64 lower-case hex digits); parsing and display follow
/// <see cref="CertificateFingerprints"/>, the rules every Hyperion client uses.
/// </summary>
public static class HostFingerprint
{
    /// <summary>Hex with or without colons, any case → 64 lower-case hex digits; null when it is not a SHA-256 fingerprint.</summary>
    public static string? Normalize(string? value) => CertificateFingerprints.Normalize(value)?.ToLowerInvariant();

    /// <summary>The normalized fingerprint of <paramref name="certificate"/>.</summary>
    public static string Compute(X509Certificate certificate) => CertificateFingerprints.Compute(certificate).ToLowerInvariant();

    /// <summary>A normalized fingerprint for people: <c>AB:CD:…</c>.</summary>
    public static string Format(string normalized) => CertificateFingerprints.Format(normalized);
}
