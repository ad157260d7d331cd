using Hyperion.Hypervisor.Networking;

namespace Hyperion.Hypervisor.Metrics;

/// <summary><see cref="IHostResourceReader"/> over /proc/stat, /proc/meminfo, /proc/diskstats, /proc/net/dev and /sys.</summary>
public sealed class HostResourceReader : IHostResourceReader
{
    public HostResourceSample Read()
    {
        var cpu = ProcStatParser.ParseCpu(File.ReadAllText("/proc/stat"));
        var meminfo = File.ReadAllText("/proc/meminfo");
        var total = MemInfoParser.ReadBytes(meminfo, "MemTotal") ?? 0;
        var available = MemInfoParser.ReadBytes(meminfo, "MemAvailable") ?? MemInfoParser.ReadBytes(meminfo, "MemFree") ?? 0;
        var blockDevices = Directory.Exists("/sys/block")
            ? Directory.EnumerateFileSystemEntries("/sys/block").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var (read, written) = DiskStatsParser.Sum(File.ReadAllText("/proc/diskstats"), name => DiskStatsParser.IsPhysicalWholeDisk(name, blockDevices));
        ulong received = 0;
        ulong transmitted = 0;
        foreach (var device in NetDevParser.Parse(File.ReadAllText("/proc/net/dev")))
        {
            if (CountsForHost(device.Name, TapDevices.BridgeExists))
            {
                received += device.ReceivedBytes;
                transmitted += device.TransmittedBytes;
            }
        }

        return new HostResourceSample
        {
            Cpu = cpu,
            MemoryTotalBytes = total,
            MemoryUsedBytes = Math.Max(0, total - available),
            DiskReadBytes = read,
            DiskWriteBytes = written,
            NetReceivedBytes = received,
            NetTransmittedBytes = transmitted,
        };
    }

    /// <summary>
    /// Whether an interface's traffic is the host's: not loopback, not a bridge (its traffic is counted on its ports)
    /// and not a VM's tap (that is the VM's traffic, reported per VM).
    /// </summary>
    public static bool CountsForHost(string name, Func<string, bool> isBridge)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(isBridge);
        return name != "lo" && !TapDevices.IsVmTap(name) && !isBridge(name);
    }
}
