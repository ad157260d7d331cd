namespace Hyperion.Hypervisor.Metrics;

/// <summary>One reading of this machine's counters: gauges (memory) and cumulative counters (CPU ticks, bytes) whose rates need two readings.</summary>
public sealed record HostResourceSample
{
    public required CpuTimes Cpu { get; init; }

    public required long MemoryTotalBytes { get; init; }

    /// <summary>MemTotal − MemAvailable: what the kernel could not hand to a new process without swapping.</summary>
    public required long MemoryUsedBytes { get; init; }

    public required ulong DiskReadBytes { get; init; }

    public required ulong DiskWriteBytes { get; init; }

    public required ulong NetReceivedBytes { get; init; }

    public required ulong NetTransmittedBytes { get; init; }
}
