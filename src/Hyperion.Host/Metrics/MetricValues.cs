using Hyperion.Contracts.Metrics;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Host.Metrics;

/// <summary>
/// Turns two readings of cumulative counters into the reported values (pure). Gauges come from the current reading
/// alone; rates and CPU usage need the previous one and are left out without it, or when a counter went backwards
/// (a counter reset, e.g. a new QEMU process).
/// </summary>
internal static class MetricValues
{
    public static Dictionary<string, double> ForHost(HostResourceSample? previous, HostResourceSample current, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(current);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (current.MemoryTotalBytes > 0)
        {
            values[MetricCounters.MemUsage] = Percent((double)current.MemoryUsedBytes / current.MemoryTotalBytes);
            values[MetricCounters.MemConsumed] = current.MemoryUsedBytes;
        }

        if (previous is null || elapsed <= TimeSpan.Zero)
        {
            return values;
        }

        if (current.Cpu.Total > previous.Cpu.Total && current.Cpu.Busy >= previous.Cpu.Busy)
        {
            values[MetricCounters.CpuUsage] = Percent((double)(current.Cpu.Busy - previous.Cpu.Busy) / (current.Cpu.Total - previous.Cpu.Total));
        }

        AddRate(values, MetricCounters.DiskRead, previous.DiskReadBytes, current.DiskReadBytes, elapsed);
        AddRate(values, MetricCounters.DiskWrite, previous.DiskWriteBytes, current.DiskWriteBytes, elapsed);
        AddRate(values, MetricCounters.NetReceived, previous.NetReceivedBytes, current.NetReceivedBytes, elapsed);
        AddRate(values, MetricCounters.NetTransmitted, previous.NetTransmittedBytes, current.NetTransmittedBytes, elapsed);
        return values;
    }

    /// <summary>
    /// cpu.usage is the process's CPU time over the wall time times the vCPU count (vSphere's "usage": 100 % means
    /// every vCPU was busy all the time), capped at 100 because QEMU's own threads can add a little on top.
    /// </summary>
    public static Dictionary<string, double> ForVm(VmResourceSample? previous, VmResourceSample current, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(current);
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricCounters.MemConsumed] = current.MemoryConsumedBytes,
        };
        if (current.MemoryConfiguredBytes > 0)
        {
            values[MetricCounters.MemUsage] = Percent((double)current.MemoryConsumedBytes / current.MemoryConfiguredBytes);
        }

        if (previous is null || elapsed <= TimeSpan.Zero)
        {
            return values;
        }

        if (current.CpuTime >= previous.CpuTime)
        {
            values[MetricCounters.CpuUsage] = Percent((current.CpuTime - previous.CpuTime) / (elapsed * Math.Max(1, current.Vcpus)));
        }

        AddRate(values, MetricCounters.DiskRead, previous.DiskReadBytes, current.DiskReadBytes, elapsed);
        AddRate(values, MetricCounters.DiskWrite, previous.DiskWriteBytes, current.DiskWriteBytes, elapsed);
        AddRate(values, MetricCounters.NetReceived, previous.NetReceivedBytes, current.NetReceivedBytes, elapsed);
        AddRate(values, MetricCounters.NetTransmitted, previous.NetTransmittedBytes, current.NetTransmittedBytes, elapsed);
        return values;
    }

    /// <summary>A share (0–1) as a percentage with two decimals, clamped to 0–100.</summary>
    private static double Percent(double share) => Math.Round(Math.Clamp(share, 0, 1) * 100, 2);

    private static void AddRate(Dictionary<string, double> values, string counter, ulong? previous, ulong? current, TimeSpan elapsed)
    {
        if (previous is { } before && current is { } now && now >= before)
        {
            values[counter] = Math.Round((now - before) / elapsed.TotalSeconds);
        }
    }
}
