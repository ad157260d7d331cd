using System.Globalization;
using System.Runtime.InteropServices;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Reads one process's CPU time and resident memory from /proc, and a network interface's byte counters from /sys.</summary>
public static partial class ProcessResourceReader
{
    private const int ScClkTck = 2;

    /// <summary>USER_HZ: the unit of /proc CPU times (100 on every mainstream Linux build).</summary>
    public static long ClockTicksPerSecond { get; } = ReadClockTicks();

    /// <summary>CPU time (user + system) of all the process's threads so far.</summary>
    /// <exception cref="IOException">The process is gone.</exception>
    public static TimeSpan ReadCpuTime(int pid)
    {
        var ticks = ProcessStatParser.ParseCpuTicks(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    /// <exception cref="IOException">The process is gone.</exception>
    public static long ReadResidentBytes(int pid) =>
        ProcessStatParser.ParseResidentBytes(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"));

    /// <summary>An interface's counters from /sys/class/net/NAME/statistics, from the host's side; null when it does not exist.</summary>
    public static NetDevCounters? ReadInterface(string name)
    {
        var statistics = $"/sys/class/net/{name}/statistics";
        try
        {
            return new NetDevCounters(
                name,
                ulong.Parse(File.ReadAllText(Path.Combine(statistics, "rx_bytes")).Trim(), CultureInfo.InvariantCulture),
                ulong.Parse(File.ReadAllText(Path.Combine(statistics, "tx_bytes")).Trim(), CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long ReadClockTicks()
    {
        var value = (long)NativeSysconf(ScClkTck);
        return value > 0 ? value : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial nint NativeSysconf(int name);
}
