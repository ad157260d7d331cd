using System.Globalization;

namespace Hyperion.Cli.Output;

/// <summary>Human-readable sizes in binary units (KiB, MiB, GiB, TiB).</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 || value % 1 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value:0} {Units[unit]}")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Units[unit]}");
    }

    public static string FormatMiB(long mebibytes) => Format(mebibytes * 1024 * 1024);
}
