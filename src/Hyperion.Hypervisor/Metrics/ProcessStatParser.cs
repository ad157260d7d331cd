using System.Globalization;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Parses /proc/PID/stat and /proc/PID/status of one process.</summary>
public static class ProcessStatParser
{
    /// <summary>
    /// utime + stime (fields 14 and 15, in clock ticks) of all the process's threads. The command name (field 2) is
    /// in parentheses and may hold spaces and parentheses, so fields are counted after its last <c>)</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not a stat line.</exception>
    public static ulong ParseCpuTicks(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("not a /proc/PID/stat line");
        }

        // After ")": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13)
        {
            throw new FormatException("/proc/PID/stat line too short");
        }

        return ulong.Parse(fields[11], CultureInfo.InvariantCulture) + ulong.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The resident set size (<c>VmRSS</c>, in kB) in bytes; 0 when absent (a zombie or a kernel thread).</summary>
    public static long ParseResidentBytes(string status) => MemInfoParser.ReadBytes(status, "VmRSS") ?? 0;
}
