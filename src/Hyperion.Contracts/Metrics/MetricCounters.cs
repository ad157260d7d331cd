namespace Hyperion.Contracts.Metrics;

/// <summary>
/// The performance counters hosts report and the Center stores, named as vSphere names them. Every counter exists
/// for a host and for a VM; rollups (5-minute and 1-hour levels) average it and keep its minimum and maximum.
/// </summary>
public static class MetricCounters
{
    public const string CpuUsage = "cpu.usage";
    public const string MemUsage = "mem.usage";
    public const string MemConsumed = "mem.consumed";
    public const string DiskRead = "disk.read";
    public const string DiskWrite = "disk.write";
    public const string NetReceived = "net.received";
    public const string NetTransmitted = "net.transmitted";

    public const string Percent = "percent";
    public const string Bytes = "bytes";
    public const string BytesPerSecond = "bytesPerSecond";

    /// <summary>Every counter, with its unit and what it measures for a host and for a VM.</summary>
    public static IReadOnlyList<MetricCounterDto> All { get; } =
    [
        new(CpuUsage, Percent, "CPU in use. Host: busy time of all its CPUs (/proc/stat). VM: CPU time of its QEMU process as a share of its vCPUs' capacity (100 = every vCPU busy), capped at 100."),
        new(MemUsage, Percent, "Memory in use. Host: (MemTotal - MemAvailable) / MemTotal. VM: its QEMU process's resident memory as a share of its configured memory, capped at 100."),
        new(MemConsumed, Bytes, "Memory in use, in bytes. Host: MemTotal - MemAvailable. VM: resident memory (VmRSS) of its QEMU process, including QEMU's own overhead."),
        new(DiskRead, BytesPerSecond, "Disk read rate. Host: whole physical disks (/proc/diskstats). VM: all its virtual disks (QMP query-blockstats)."),
        new(DiskWrite, BytesPerSecond, "Disk write rate. Host: whole physical disks (/proc/diskstats). VM: all its virtual disks (QMP query-blockstats)."),
        new(NetReceived, BytesPerSecond, "Network receive rate. Host: every interface but loopback, bridges and VM taps (/proc/net/dev). VM: what its bridged NICs received (their tap devices' transmit counters)."),
        new(NetTransmitted, BytesPerSecond, "Network transmit rate. Host: every interface but loopback, bridges and VM taps. VM: what its bridged NICs sent (their tap devices' receive counters)."),
    ];

    /// <summary>The counter's description, or null for a name that is not a counter.</summary>
    public static MetricCounterDto? Find(string? name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
}
