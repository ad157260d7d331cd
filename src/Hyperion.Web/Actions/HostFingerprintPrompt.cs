using System.Text.RegularExpressions;
using Hyperion.Domain.Errors;

namespace Hyperion.Web.Actions;

/// <summary>
/// The Add Host "Security Alert": the Center refuses a first add (409, <see cref="ErrorCodes.HostFingerprintUnconfirmed"/>)
/// with the certificate fingerprint the host presented in its message; the user confirms it and the add is sent again with it.
/// </summary>
public static partial class HostFingerprintPrompt
{
    /// <summary>The SHA-256 fingerprint (<c>AB:CD:…</c>, 32 pairs) the refusal names, or null when it is not that refusal.</summary>
    public static string? PresentedFingerprint(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.Errors.FirstOrDefault(e => e.Code == ErrorCodes.HostFingerprintUnconfirmed);
        return error is not null && Fingerprint().Match(error.Message) is { Success: true } match ? match.Value : null;
    }

    [GeneratedRegex("(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}")]
    private static partial Regex Fingerprint();
}
