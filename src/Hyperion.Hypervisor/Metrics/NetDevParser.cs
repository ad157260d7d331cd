using System.Globalization;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Parses /proc/net/dev.</summary>
public static class NetDevParser
{
    /// <summary>Every interface: <c>name: rx_bytes rx_packets … (8 receive columns) tx_bytes …</c>; the two header lines are skipped.</summary>
    public static IReadOnlyList<NetDevCounters> Parse(string netdev)
    {
        ArgumentNullException.ThrowIfNull(netdev);
        var result = new List<NetDevCounters>();
        foreach (var line in netdev.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9)
            {
                continue;
            }

            result.Add(new NetDevCounters(
                line[..colon].Trim(),
                ulong.Parse(fields[0], CultureInfo.InvariantCulture),
                ulong.Parse(fields[8], CultureInfo.InvariantCulture)));
        }

        return result;
    }
}
