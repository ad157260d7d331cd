using System.Globalization;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Parses /proc/stat.</summary>
public static class ProcStatParser
{
    /// <summary>
    /// The aggregate <c>cpu</c> line: <c>user nice system idle iowait irq softirq steal guest guest_nice</c>.
    /// Total is the first eight (guest time is already part of user and nice); busy is total minus idle and iowait.
    /// </summary>
    /// <exception cref="FormatException">No aggregate cpu line.</exception>
    public static CpuTimes ParseCpu(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            ulong total = 0;
            ulong idle = 0;
            for (var i = 1; i < fields.Length && i <= 8; i++)
            {
                var value = ulong.Parse(fields[i], CultureInfo.InvariantCulture);
                total += value;
                if (i is 4 or 5)
                {
                    idle += value;
                }
            }

            return new CpuTimes(total - idle, total);
        }

        throw new FormatException("/proc/stat has no aggregate 'cpu' line");
    }
}
