namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// One reading of a running VM's resources: gauges (memory) and cumulative counters (CPU time, bytes) whose rates the
/// caller derives from two readings. Network counters are from the guest's side (received = what the guest got).
/// A null counter could not be measured (no monitor for disk stats, no tap-backed NIC for network).
/// </summary>
public sealed record VmResourceSample
{
    /// <summary>CPU time its process (QEMU: every vCPU and I/O thread) has used since it started.</summary>
    public required TimeSpan CpuTime { get; init; }

    public required int Vcpus { get; init; }

    /// <summary>Resident memory of its process (QEMU: guest RAM it touched plus QEMU's own).</summary>
    public required long MemoryConsumedBytes { get; init; }

    public required long MemoryConfiguredBytes { get; init; }

    public ulong? DiskReadBytes { get; init; }

    public ulong? DiskWriteBytes { get; init; }

    public ulong? NetReceivedBytes { get; init; }

    public ulong? NetTransmittedBytes { get; init; }

    /// <summary>True for the SIMULATED driver: the values are synthetic.</summary>
    public bool Simulated { get; init; }
}
