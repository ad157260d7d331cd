namespace Hyperion.Web.Admin;

/// <summary>One category of the privilege catalogue: the part of a privilege id before its first dot.</summary>
public sealed record PrivilegeCategory(string Name, IReadOnlyList<string> Privileges);

/// <summary>The privilege catalogue (<c>GET /api/privileges</c>) grouped by category for the role editor.</summary>
public static class PrivilegeCatalog
{
    /// <returns>Categories in ordinal order, each with its privileges in ordinal order.</returns>
    public static IReadOnlyList<PrivilegeCategory> Group(IEnumerable<string> privileges)
    {
        ArgumentNullException.ThrowIfNull(privileges);
        return privileges
            .Distinct(StringComparer.Ordinal)
            .GroupBy(CategoryOf, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PrivilegeCategory(g.Key, g.Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    /// <summary><c>VirtualMachine.Interact.PowerOn</c> → <c>VirtualMachine</c>; a privilege without a dot is its own category.</summary>
    public static string CategoryOf(string privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        var dot = privilege.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? privilege : privilege[..dot];
    }

    /// <summary>The privilege without its category, for the check box label.</summary>
    public static string ShortName(string privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        var dot = privilege.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? privilege : privilege[(dot + 1)..];
    }
}
