namespace Hyperion.Domain.Hosts;

/// <summary>What the host can give a single VM.</summary>
public sealed record HostCapacity(int LogicalCpus, long MemoryMiB);
