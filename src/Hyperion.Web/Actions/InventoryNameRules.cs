using Hyperion.Domain.Inventory;

namespace Hyperion.Web.Actions;

/// <summary>The checks of a new datacenter's, cluster's or folder's name, as the Center's (<see cref="InventoryNames"/>, unique among its siblings).</summary>
public static class InventoryNameRules
{
    /// <param name="kind"><c>datacenter</c>, <c>cluster</c> or <c>folder</c>, for the message.</param>
    /// <param name="siblings">Names already taken where the object goes.</param>
    public static string? Check(string? name, string kind, IEnumerable<string> siblings)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        if (InventoryNames.Validate(name) is { } invalid)
        {
            return invalid.Message;
        }

        return siblings.Contains(name, StringComparer.Ordinal) ? $"a {kind} named '{name}' already exists" : null;
    }
}
