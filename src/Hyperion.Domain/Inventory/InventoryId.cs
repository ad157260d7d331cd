using System.Globalization;

namespace Hyperion.Domain.Inventory;

/// <summary>
/// A Center inventory object id, vSphere style: a kind prefix and a number from one Center-wide sequence
/// (<c>datacenter-1</c>, <c>group-3</c>, <c>domain-c7</c>, <c>host-10</c>, <c>vm-42</c>, <c>datastore-11</c>,
/// <c>network-12</c>). Numbers are never reused, so an id names one object for the life of the Center.
/// </summary>
public readonly record struct InventoryId(string Value)
{
    /// <summary>Longest accepted text: the longest prefix plus a 19-digit number, with room to spare.</summary>
    public const int MaxLength = 40;

    /// <summary>The root folder (the vSphere "Datacenters" folder) every datacenter lives under; seeded with the schema.</summary>
    public static readonly InventoryId RootFolder = Create(InventoryObjectKind.Folder, 1);

    public InventoryObjectKind Kind => TryParse(Value, out _, out var kind, out _) ? kind : throw new InvalidOperationException($"'{Value}' is not an inventory id");

    public long Number => TryParse(Value, out _, out _, out var number) ? number : throw new InvalidOperationException($"'{Value}' is not an inventory id");

    public static string PrefixOf(InventoryObjectKind kind) => kind switch
    {
        InventoryObjectKind.Datacenter => "datacenter-",
        InventoryObjectKind.Folder => "group-",
        InventoryObjectKind.Cluster => "domain-c",
        InventoryObjectKind.Host => "host-",
        InventoryObjectKind.Vm => "vm-",
        InventoryObjectKind.Datastore => "datastore-",
        InventoryObjectKind.Network => "network-",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown inventory object kind"),
    };

    public static InventoryId Create(InventoryObjectKind kind, long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        return new InventoryId(PrefixOf(kind) + number.ToString(CultureInfo.InvariantCulture));
    }

    public static bool TryParse(string? text, out InventoryId id) => TryParse(text, out id, out _, out _);

    public static InventoryId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an inventory id (like vm-42)");

    public override string ToString() => Value;

    private static bool TryParse(string? text, out InventoryId id, out InventoryObjectKind kind, out long number)
    {
        id = default;
        kind = default;
        number = 0;
        if (text is null || text.Length > MaxLength)
        {
            return false;
        }

        foreach (var candidate in Enum.GetValues<InventoryObjectKind>())
        {
            var prefix = PrefixOf(candidate);
            if (text.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number)
                && number > 0
                && text.Length - prefix.Length == number.ToString(CultureInfo.InvariantCulture).Length)
            {
                id = new InventoryId(text);
                kind = candidate;
                return true;
            }
        }

        number = 0;
        return false;
    }
}
