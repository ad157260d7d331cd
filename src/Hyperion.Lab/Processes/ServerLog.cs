using Hyperion.Contracts;

namespace Hyperion.Lab.Processes;

/// <summary>What the lab reads in a server's log: the listening line and the certificate fingerprint it prints at start.</summary>
public static class ServerLog
{
    public const string CenterReadyPrefix = "hyperion center listening on ";
    public const string HostReadyPrefix = "hyperion host agent listening on ";
    public const string FingerprintPrefix = "certificate fingerprint (SHA-256): ";
    public const string AccelerationPrefix = "acceleration: ";

    /// <summary>True when a line of <paramref name="log"/> starts with <paramref name="prefix"/>.</summary>
    public static bool HasLine(string log, string prefix) => Lines(log).Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Listening (a line starts with <paramref name="readyPrefix"/>) and its fingerprint printed.</summary>
    public static bool IsReady(string log, string readyPrefix) => HasLine(log, readyPrefix) && FindFingerprint(log) is not null;

    /// <summary>The fingerprint printed at start, as <c>AB:CD:…</c>; null when not (yet) printed. The last start wins.</summary>
    public static string? FindFingerprint(string log)
    {
        var line = Lines(log).LastOrDefault(l => l.StartsWith(FingerprintPrefix, StringComparison.Ordinal));
        var hex = CertificateFingerprints.Normalize(line?[FingerprintPrefix.Length..]);
        return hex is null ? null : CertificateFingerprints.Format(hex);
    }

    /// <summary>What an agent printed about its acceleration (<c>tcg — why</c>), or null.</summary>
    public static string? FindAcceleration(string log) =>
        Lines(log).LastOrDefault(l => l.StartsWith(AccelerationPrefix, StringComparison.Ordinal))?[AccelerationPrefix.Length..];

    /// <summary>The last <paramref name="count"/> non-empty lines, for error messages.</summary>
    public static string Tail(string log, int count) => string.Join('\n', Lines(log).Where(l => l.Length > 0).TakeLast(count));

    private static IEnumerable<string> Lines(string log) => (log ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r'));
}
