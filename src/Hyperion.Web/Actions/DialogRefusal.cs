using Hyperion.Domain.Errors;

namespace Hyperion.Web.Actions;

/// <summary>
/// A refusal of the Center shown in a dialog: each error on the field it concerns (several on one field joined), the
/// rest — and a refusal that lists no errors — as one general line above the buttons.
/// </summary>
public static class DialogRefusal
{
    /// <summary>Adds the field errors to <paramref name="errors"/> and returns the general line (null when every error found its field).</summary>
    public static string? Apply(DomainException refusal, Func<DomainError, string?> fieldOf, IDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        ArgumentNullException.ThrowIfNull(fieldOf);
        ArgumentNullException.ThrowIfNull(errors);
        var general = new List<string>();
        foreach (var error in refusal.Errors)
        {
            if (fieldOf(error) is { } field)
            {
                errors[field] = errors.TryGetValue(field, out var before) ? $"{before}; {error.Message}" : error.Message;
            }
            else
            {
                general.Add(error.Message);
            }
        }

        if (refusal.Errors.Count == 0)
        {
            general.Add(refusal.Message);
        }

        return general.Count > 0 ? string.Join("; ", general) : null;
    }
}
