using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Hyperion.Contracts;

namespace Hyperion.Cli.Api;

/// <summary>
/// Decides whether to trust the server's TLS certificate. Hosts use self-signed certificates, so besides the
/// system trust store the user can pin one by its SHA-256 fingerprint (as ssh does with host keys) or opt out.
/// </summary>
public sealed class ServerCertificateValidator
{
    private readonly bool _insecure;
    private readonly string? _pinnedFingerprint;

    /// <param name="insecure">Accept any certificate.</param>
    /// <param name="pinnedFingerprint">Fingerprint in any accepted spelling (see <see cref="NormalizeFingerprint"/>), or null.</param>
    public ServerCertificateValidator(bool insecure, string? pinnedFingerprint)
    {
        _insecure = insecure;
        if (pinnedFingerprint is not null)
        {
            _pinnedFingerprint = NormalizeFingerprint(pinnedFingerprint)
                ?? throw new ArgumentException($"'{pinnedFingerprint}' is not a SHA-256 fingerprint.", nameof(pinnedFingerprint));
        }
    }

    /// <summary>The fingerprint of the last certificate this validator refused (normalized), or null.</summary>
    public string? RejectedFingerprint { get; private set; }

    /// <summary>True when the last refusal was a pinned fingerprint that did not match (rather than an untrusted certificate).</summary>
    public bool RejectedForMismatch { get; private set; }

    /// <summary>Returns whether to accept <paramref name="certificate"/>, and remembers why not.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (_insecure)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        var actual = ComputeFingerprint(certificate);
        if (_pinnedFingerprint is not null)
        {
            // A pin is stricter than the trust store: only that certificate is accepted.
            if (string.Equals(actual, _pinnedFingerprint, StringComparison.Ordinal))
            {
                return true;
            }

            RejectedFingerprint = actual;
            RejectedForMismatch = true;
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        RejectedFingerprint = actual;
        RejectedForMismatch = false;
        return false;
    }

    /// <summary>See <see cref="CertificateFingerprints.Normalize"/>: 64 upper-case hex digits, or null.</summary>
    public static string? NormalizeFingerprint(string? value) => CertificateFingerprints.Normalize(value);

    /// <summary>The SHA-256 fingerprint of <paramref name="certificate"/>: 64 upper-case hex digits.</summary>
    public static string ComputeFingerprint(X509Certificate certificate) => CertificateFingerprints.Compute(certificate);

    /// <summary>Formats a normalized fingerprint for people: <c>AB:CD:…</c>.</summary>
    public static string FormatFingerprint(string normalized) => CertificateFingerprints.Format(normalized);

    /// <summary>The message shown when the last certificate was refused, telling the user how to trust it.</summary>
    public string DescribeRejection(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var shown = FormatFingerprint(RejectedFingerprint ?? string.Empty);
        var authority = server.Authority;
        if (RejectedForMismatch)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"""
                the certificate of {authority} does not match the pinned fingerprint.
                The server's SHA-256 fingerprint is
                  {shown}
                but --fingerprint (or HYPERION_FINGERPRINT) is
                  {FormatFingerprint(_pinnedFingerprint ?? string.Empty)}
                Someone may be intercepting the connection, or the host's certificate was replaced.
                """);
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
            the authenticity of {authority} can't be established: its certificate is not trusted.
            The server's SHA-256 certificate fingerprint is
              {shown}
            If this is the host you expect (compare with the fingerprint it printed at start-up), run again with
              --fingerprint {shown}
            (or set HYPERION_FINGERPRINT), or pass --insecure to accept any certificate.
            """);
    }
}
