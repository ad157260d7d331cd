using System.Globalization;
using System.Text;
using Hyperion.Domain.Errors;

namespace Hyperion.Domain.Vms;

/// <summary>
/// What the platform tells a guest at deploy time (delivered as a cloud-init NoCloud seed): its hostname, optionally a
/// user with SSH keys and/or a password (passwordless sudo), and DHCP or one static address. <see cref="Validate"/>
/// names every wrong field; <see cref="ThrowIfInvalid"/> refuses with <see cref="ErrorCodes.CustomizationInvalid"/>.
/// The password is kept in plain text (cloud-init's <c>plain_text_passwd</c>) and never appears in <see cref="ToString"/>.
/// </summary>
public sealed record GuestCustomization
{
    public const int MaxHostnameLength = 253;
    public const int MaxHostnameLabelLength = 63;
    public const int MaxUserLength = 32;
    public const int MaxPasswordLength = 256;
    public const int MaxSshKeys = 32;
    public const int MaxSshKeyLength = 16 * 1024;

    // OpenSSH public key types accepted in authorized_keys without options; "ecdsa-sha2-*" and "sk-*" are checked by prefix.
    private static readonly string[] SshKeyTypes = ["ssh-rsa", "ssh-ed25519"];

    /// <summary>RFC 1123 host name: dot-separated labels of letters, digits and '-' (not at either end), 1–63 characters each, 253 in all.</summary>
    public required string Hostname { get; init; }

    /// <summary>A Linux user to create (<c>^[a-z_][a-z0-9_-]{0,31}$</c>) in addition to the image's default user; null: none.</summary>
    public string? User { get; init; }

    /// <summary>Plain-text password of <see cref="User"/> (enables SSH password logins); null: password logins stay locked.</summary>
    public string? Password { get; init; }

    /// <summary>OpenSSH public keys (one line each) for <see cref="User"/>, or for the image's default user when there is no user.</summary>
    public IReadOnlyList<string> SshAuthorizedKeys { get; init; } = [];

    public GuestNetwork Network { get; init; } = GuestNetwork.Dhcp;

    /// <summary>The first label of <see cref="Hostname"/> (the whole name when it has no dots).</summary>
    public string ShortHostname => Hostname.Split('.', 2)[0];

    /// <summary>Every rule violation, each with its field (<c>{prefix}.hostname</c>, <c>{prefix}.sshAuthorizedKeys[1]</c>, ...).</summary>
    public IReadOnlyList<DomainError> Validate(string prefix = "customization")
    {
        var errors = new List<DomainError>();
        if (ValidateHostname(Hostname, $"{prefix}.hostname") is { } hostname)
        {
            errors.Add(hostname);
        }

        if (User is not null && ValidateUser(User, $"{prefix}.user") is { } user)
        {
            errors.Add(user);
        }

        if (Password is not null)
        {
            var field = $"{prefix}.password";
            if (User is null)
            {
                errors.Add(Error(field, $"{field} needs {prefix}.user (the password is set for that user)"));
            }
            else if (Password.Length == 0 || Password.Length > MaxPasswordLength)
            {
                errors.Add(Error(field, $"{field} must be 1 to {MaxPasswordLength} characters"));
            }
            else if (Password.Any(char.IsControl))
            {
                // Never echo the password itself.
                errors.Add(Error(field, $"{field} contains a control character (line breaks, tabs, ...)"));
            }
        }

        if (SshAuthorizedKeys is null)
        {
            errors.Add(Error($"{prefix}.sshAuthorizedKeys", $"{prefix}.sshAuthorizedKeys must be a list (may be empty)"));
        }
        else
        {
            if (SshAuthorizedKeys.Count > MaxSshKeys)
            {
                errors.Add(Error($"{prefix}.sshAuthorizedKeys", $"{prefix}.sshAuthorizedKeys has {SshAuthorizedKeys.Count} keys; at most {MaxSshKeys} are allowed"));
            }

            for (var i = 0; i < SshAuthorizedKeys.Count; i++)
            {
                if (ValidateSshKey(SshAuthorizedKeys[i], string.Create(CultureInfo.InvariantCulture, $"{prefix}.sshAuthorizedKeys[{i}]")) is { } key)
                {
                    errors.Add(key);
                }
            }
        }

        if (Network is null)
        {
            errors.Add(Error($"{prefix}.network", $"{prefix}.network is required (use DHCP for the default)"));
        }
        else
        {
            errors.AddRange(Network.Validate($"{prefix}.network"));
        }

        return errors;
    }

    /// <summary>Throws <see cref="DomainException"/> (<see cref="ErrorCodes.CustomizationInvalid"/>, every error) unless valid.</summary>
    public GuestCustomization ThrowIfInvalid(string prefix = "customization")
    {
        var errors = Validate(prefix);
        return errors.Count == 0 ? this : throw new DomainException(errors);
    }

    public static DomainError? ValidateHostname(string? hostname, string field = "hostname")
    {
        if (string.IsNullOrEmpty(hostname))
        {
            return Error(field, $"{field} is required");
        }

        if (hostname.Length > MaxHostnameLength)
        {
            return Error(field, $"{field} is longer than {MaxHostnameLength} characters");
        }

        var labels = hostname.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                return Error(field, $"{field} '{Printable(hostname)}' has an empty label (leading, trailing or double dot)");
            }

            if (label.Length > MaxHostnameLabelLength)
            {
                return Error(field, $"{field} label '{Printable(Truncate(label))}' is longer than {MaxHostnameLabelLength} characters");
            }

            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return Error(field, $"{field} '{Printable(hostname)}' may only contain letters, digits, '-' and '.' (RFC 1123)");
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return Error(field, $"{field} label '{Printable(label)}' starts or ends with '-'");
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return Error(field, $"{field} '{hostname}' ends with an all-numeric label (it would read as an IP address)");
        }

        return null;
    }

    public static DomainError? ValidateUser(string? user, string field = "user")
    {
        if (string.IsNullOrEmpty(user))
        {
            return Error(field, $"{field} is empty");
        }

        var valid = user.Length <= MaxUserLength
            && (char.IsAsciiLetterLower(user[0]) || user[0] == '_')
            && user.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
        return valid ? null : Error(field, $"{field} '{Printable(user)}' is not a Linux user name: lower-case letters, digits, '_' and '-', starting with a letter or '_', at most {MaxUserLength} characters");
    }

    public static DomainError? ValidateSshKey(string? key, string field = "sshAuthorizedKey")
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return Error(field, $"{field} is empty");
        }

        if (key.Length > MaxSshKeyLength)
        {
            return Error(field, $"{field} is longer than {MaxSshKeyLength} characters");
        }

        if (key.Any(char.IsControl))
        {
            return Error(field, $"{field} is not a single line (it contains a line break or another control character)");
        }

        var parts = key.Split(' ', 3);
        var type = parts[0];
        if (!SshKeyTypes.Contains(type, StringComparer.Ordinal)
            && !(type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) && type.Length > "ecdsa-sha2-".Length)
            && !(type.StartsWith("sk-", StringComparison.Ordinal) && type.Length > "sk-".Length))
        {
            return Error(field, $"{field} does not start with an OpenSSH key type (ssh-rsa, ssh-ed25519, ecdsa-sha2-*, sk-*): '{Printable(Truncate(type))}'");
        }

        if (!type.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '@' or '.'))
        {
            return Error(field, $"{field} key type '{Printable(Truncate(type))}' has characters no OpenSSH key type has");
        }

        if (parts.Length < 2 || !IsBase64(parts[1]))
        {
            return Error(field, $"{field} has no base64 key data after '{type} '");
        }

        return null;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Hostname = {Hostname}, User = {User}, Password = {(Password is null ? "(none)" : "(set)")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"SshAuthorizedKeys = {SshAuthorizedKeys?.Count ?? 0} key(s), Network = {Network}");
        return true;
    }

    private static bool IsBase64(string text) =>
        text.Length >= 4 && text.Length % 4 == 0
        && text.TrimEnd('=').All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
        && text.Length - text.TrimEnd('=').Length <= 2;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // Error messages are shown to people and logged: make control characters visible instead of emitting them.
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static DomainError Error(string field, string message) => new(ErrorCodes.CustomizationInvalid, message, field);
}
