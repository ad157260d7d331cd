using System.Globalization;

namespace Hyperion.Center.Tags;

/// <summary>A tag's id as the API shows it, <c>tag-N</c> (N is the <c>Tags</c> row's key).</summary>
public readonly record struct TagId(long Number)
{
    private const string Prefix = "tag-";

    public string Value => Prefix + Number.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out TagId id)
    {
        id = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)
            || !long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number <= 0 || text.Length - Prefix.Length != number.ToString(CultureInfo.InvariantCulture).Length)
        {
            return false;
        }

        id = new TagId(number);
        return true;
    }

    public override string ToString() => Value;
}
