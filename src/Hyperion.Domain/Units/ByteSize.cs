using System.Globalization;

namespace Hyperion.Domain.Units;

/// <summary>Parses sizes the way admins type them: <c>512M</c>, <c>1G</c>, <c>1.5GiB</c>, <c>4096</c> (bytes).</summary>
public static class ByteSize
{
    public const long MiB = 1024L * 1024;
    public const long GiB = 1024L * MiB;

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !decimal.TryParse(s.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long multiplier = s[split..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024,
            "M" or "MB" or "MIB" => MiB,
            "G" or "GB" or "GIB" => GiB,
            "T" or "TB" or "TIB" => 1024 * GiB,
            _ => -1,
        };
        if (multiplier < 0)
        {
            return false;
        }

        if (number > (decimal)long.MaxValue / multiplier)
        {
            return false;
        }

        var value = number * multiplier;
        if (value != decimal.Truncate(value))
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= GiB when bytes % GiB == 0 => $"{bytes / GiB}G",
        >= MiB when bytes % MiB == 0 => $"{bytes / MiB}M",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };
}
