using System.Text;

namespace Hyperion.Lab.State;

/// <summary>
/// <c>DIR/lab.env</c>: the CLI's connection variables for the lab's Center (<c>HYPERION_SERVER</c>,
/// <c>HYPERION_USER</c>, <c>HYPERION_PASSWORD</c>, <c>HYPERION_FINGERPRINT</c>) as <c>KEY=value</c> lines, readable by
/// a shell (<c>set -a; . DIR/lab.env; set +a</c>) and by systemd's EnvironmentFile. Mode 0600.
/// </summary>
public static class LabEnvFile
{
    public const string ServerVariable = "HYPERION_SERVER";
    public const string UserVariable = "HYPERION_USER";
    public const string PasswordVariable = "HYPERION_PASSWORD";
    public const string FingerprintVariable = "HYPERION_FINGERPRINT";

    public static string Render(string labName, Uri server, string user, string password, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder();
        text.Append("# Hyperion lab '").Append(labName).Append("': the Center and how to trust it. Load with: set -a; . lab.env; set +a\n");
        foreach (var (key, value) in new[]
                 {
                     (ServerVariable, server.GetLeftPart(UriPartial.Authority)),
                     (UserVariable, user),
                     (PasswordVariable, password),
                     (FingerprintVariable, fingerprint),
                 })
        {
            text.Append(key).Append('=').Append(Quote(value)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The variables of an env file written by <see cref="Render"/> (comments and blank lines skipped).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || eq <= 0)
            {
                continue;
            }

            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Replace("'\\''", "'", StringComparison.Ordinal);
            }

            values[line[..eq]] = value;
        }

        return values;
    }

    public static void Write(string path, string text) => LabStateStore.WriteOwnerOnly(path, text);

    /// <summary>Plain when every character is safe for sh, else single-quoted with embedded quotes escaped.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '.' or '_' or '-' or '@' or '+' or ',')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
