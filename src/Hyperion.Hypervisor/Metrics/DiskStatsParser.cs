using System.Globalization;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Parses /proc/diskstats.</summary>
public static class DiskStatsParser
{
    /// <summary>Linux counts diskstats sectors in 512-byte units whatever the device's sector size.</summary>
    public const int SectorBytes = 512;

    private static readonly string[] VirtualPrefixes = ["loop", "ram", "zram", "dm-", "md", "nbd"];

    /// <summary>
    /// Bytes read and written by the devices <paramref name="include"/> accepts: columns 3 (name), 6 (sectors read)
    /// and 10 (sectors written).
    /// </summary>
    public static (ulong ReadBytes, ulong WriteBytes) Sum(string diskstats, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(diskstats);
        ArgumentNullException.ThrowIfNull(include);
        ulong read = 0;
        ulong written = 0;
        foreach (var line in diskstats.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || !include(fields[2]))
            {
                continue;
            }

            read += ulong.Parse(fields[5], CultureInfo.InvariantCulture) * SectorBytes;
            written += ulong.Parse(fields[9], CultureInfo.InvariantCulture) * SectorBytes;
        }

        return (read, written);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a whole physical disk: listed in /sys/block (partitions are not) and not a
    /// virtual device layered on others (loop, ram, zram, device-mapper, md RAID, nbd), whose I/O would count twice.
    /// </summary>
    public static bool IsPhysicalWholeDisk(string name, IReadOnlySet<string> blockDevices)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(blockDevices);
        return blockDevices.Contains(name) && !VirtualPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
    }
}
