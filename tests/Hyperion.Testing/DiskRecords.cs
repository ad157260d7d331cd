using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Hyperion.Testing;

/// <summary>
/// The records the tiny guest writes with <c>hyperion.diskwrite</c>: record i at offset i·4096, word w of it
/// i·0x9E3779B97F4A7C15 ^ w; after every 10th it prints <c>dwrite N</c> (records 0..N-1 are then on the disk).
/// </summary>
public static partial class DiskRecords
{
    /// <summary>The highest N of the guest's <c>dwrite N</c> lines.</summary>
    public static int Count(string log) =>
        DwriteLine().Matches(log).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>Records 0..<paramref name="count"/>-1 as the guest writes them.</summary>
    public static byte[] Expected(int count)
    {
        var bytes = new byte[count * 4096];
        for (var i = 0; i < count; i++)
        {
            for (var w = 0; w < 512; w++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((i * 4096) + (w * 8)), unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) ^ (ulong)w));
            }
        }

        return bytes;
    }

    [GeneratedRegex(@"dwrite (\d+)")]
    private static partial Regex DwriteLine();
}
