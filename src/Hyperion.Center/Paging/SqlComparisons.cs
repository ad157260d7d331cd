using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Paging;

/// <summary>
/// Stand-ins for <c>&gt;</c> and <c>&lt;</c> on types C# gives no such operator (strings, ids stored as text), used as
/// the method of a comparison node in a query: EF Core translates the node to the SQL operator, so the database compares
/// with the same collation it sorts with. Run in memory they compare ordinally.
/// </summary>
internal static class SqlComparisons
{
    public static bool Greater(string left, string right) => string.CompareOrdinal(left, right) > 0;

    public static bool Less(string left, string right) => string.CompareOrdinal(left, right) < 0;

    public static bool GreaterOrEqual(string left, string right) => string.CompareOrdinal(left, right) >= 0;

    public static bool LessOrEqual(string left, string right) => string.CompareOrdinal(left, right) <= 0;

    public static bool Greater(InventoryId left, InventoryId right) => string.CompareOrdinal(left.Value, right.Value) > 0;

    public static bool Less(InventoryId left, InventoryId right) => string.CompareOrdinal(left.Value, right.Value) < 0;

    public static bool GreaterOrEqual(InventoryId left, InventoryId right) => string.CompareOrdinal(left.Value, right.Value) >= 0;

    public static bool LessOrEqual(InventoryId left, InventoryId right) => string.CompareOrdinal(left.Value, right.Value) <= 0;
}
