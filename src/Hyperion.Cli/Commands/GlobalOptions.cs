using System.CommandLine;
using Hyperion.Cli.Api;

namespace Hyperion.Cli.Commands;

/// <summary>
/// The connection options every client verb accepts (recursive on the root command), with their environment
/// variable fallbacks. Fallbacks are resolved at invocation rather than as option defaults so that
/// <c>--help</c> never prints a password taken from the environment.
/// </summary>
public sealed class GlobalOptions
{
    public const string ServerVariable = "HYPERION_SERVER";
    public const string UserVariable = "HYPERION_USER";
    public const string PasswordVariable = "HYPERION_PASSWORD";
    public const string FingerprintVariable = "HYPERION_FINGERPRINT";

    /// <summary>Used when neither <c>--server</c> nor HYPERION_SERVER is given.</summary>
    public static readonly Uri DefaultServer = new("https://127.0.0.1:8443");

    /// <summary>Used when neither <c>--user</c> nor HYPERION_USER is given.</summary>
    public const string DefaultUser = "root";

    public GlobalOptions()
    {
        Server.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && TryParseServer(value) is null)
            {
                result.AddError($"--server '{value}' is not an http(s) URL.");
            }
        });
        Fingerprint.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && ServerCertificateValidator.NormalizeFingerprint(value) is null)
            {
                result.AddError($"--fingerprint '{value}' is not a SHA-256 fingerprint (64 hex digits, colons optional).");
            }
        });
    }

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"URL of the Hyperion host or Center [env: {ServerVariable}; default: {DefaultServer.OriginalString}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"User name [env: {UserVariable}; default: {DefaultUser}]",
        Recursive = true,
    };

    public Option<string?> Password { get; } = new("--password")
    {
        Description = $"Password [env: {PasswordVariable}]",
        Recursive = true,
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Accept any server certificate (no verification)",
        Recursive = true,
    };

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = $"Trust only the server certificate with this SHA-256 fingerprint (hex, colons optional) [env: {FingerprintVariable}]",
        HelpName = "SHA256",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Server, User, Password, Insecure, Fingerprint];

    /// <summary>Combines options, environment (through <paramref name="console"/>) and defaults.</summary>
    /// <exception cref="CliUsageException">A value from the environment is malformed.</exception>
    public ConnectionSettings Resolve(ParseResult parseResult, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(console);

        string? FromEnvironment(string name) => console.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

        var serverText = parseResult.GetValue(Server) ?? FromEnvironment(ServerVariable);
        var server = serverText is null
            ? DefaultServer
            : TryParseServer(serverText) ?? throw new CliUsageException($"{ServerVariable} '{serverText}' is not an http(s) URL.");

        var fingerprintText = parseResult.GetValue(Fingerprint) ?? FromEnvironment(FingerprintVariable);
        string? fingerprint = null;
        if (fingerprintText is not null)
        {
            fingerprint = ServerCertificateValidator.NormalizeFingerprint(fingerprintText)
                ?? throw new CliUsageException($"{FingerprintVariable} '{fingerprintText}' is not a SHA-256 fingerprint (64 hex digits, colons optional).");
        }

        return new ConnectionSettings(
            server,
            parseResult.GetValue(User) ?? FromEnvironment(UserVariable) ?? DefaultUser,
            parseResult.GetValue(Password) ?? FromEnvironment(PasswordVariable) ?? string.Empty,
            parseResult.GetValue(Insecure),
            fingerprint);
    }

    /// <summary>Parses a server URL; a bare <c>host:port</c> means HTTPS.</summary>
    public static Uri? TryParseServer(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host)
                ? uri
                : null;
    }
}
