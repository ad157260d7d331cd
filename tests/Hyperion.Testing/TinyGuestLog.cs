using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyperion.Testing;

/// <summary>Reads the tiny guest's serial output.</summary>
public static partial class TinyGuestLog
{
    public const string BootMarker = "hyperion-tiny boot";

    public static IReadOnlyList<int> Ticks(string log) =>
        TickLine().Matches(log).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    public static int LastTick(string log) => Ticks(log) is { Count: > 0 } ticks ? ticks[^1] : 0;

    public static int CountBoots(string log) => Regex.Count(log, Regex.Escape(BootMarker));

    [GeneratedRegex(@"^tick (\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex TickLine();
}
