using System.Globalization;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Parses /proc/meminfo.</summary>
public static class MemInfoParser
{
    /// <summary>The value of <paramref name="key"/> (e.g. <c>MemAvailable</c>) in bytes; null when absent. Values are in kB (KiB).</summary>
    public static long? ReadBytes(string meminfo, string key)
    {
        ArgumentNullException.ThrowIfNull(meminfo);
        foreach (var line in meminfo.Split('\n'))
        {
            if (line.Length > key.Length && line.StartsWith(key, StringComparison.Ordinal) && line[key.Length] == ':')
            {
                var parts = line[(key.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }
}
