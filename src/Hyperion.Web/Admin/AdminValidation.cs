using Hyperion.Center.Authorization;
using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Admin;

/// <summary>
/// The checks the Center's user and role services make, run as the user types so mistakes show next to the field
/// before anything is sent (the services check again, and their answer wins).
/// </summary>
public static class AdminValidation
{
    /// <returns>Null when the Center would accept the name; else why not.</returns>
    public static string? Name(string? name, IEnumerable<string> existing, string kind)
    {
        ArgumentNullException.ThrowIfNull(existing);
        if (InventoryNames.Validate(name) is { } invalid)
        {
            return invalid.Message;
        }

        return existing.Contains(name!, StringComparer.Ordinal) ? $"a {kind} named '{name}' already exists" : null;
    }

    /// <returns>Null when the password meets the Center's policy (<see cref="UserService.MinPasswordLength"/> to <see cref="UserService.MaxPasswordLength"/> characters).</returns>
    public static string? Password(string? password) =>
        password is { Length: >= UserService.MinPasswordLength and <= UserService.MaxPasswordLength }
            ? null
            : $"password must be {UserService.MinPasswordLength} to {UserService.MaxPasswordLength} characters";

    /// <returns>Null when the confirmation matches.</returns>
    public static string? Confirmation(string? password, string? confirmation) =>
        string.Equals(password, confirmation, StringComparison.Ordinal) ? null : "the passwords differ";

    /// <summary>The policy as one sentence, for the form's helper text.</summary>
    public static string PasswordPolicy => $"{UserService.MinPasswordLength} to {UserService.MaxPasswordLength} characters.";
}
