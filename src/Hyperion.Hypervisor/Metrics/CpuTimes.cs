namespace Hyperion.Hypervisor.Metrics;

/// <summary>Cumulative CPU time of a whole machine in clock ticks (the aggregate <c>cpu</c> line of /proc/stat).</summary>
/// <param name="Busy">Ticks spent doing anything but idle and iowait.</param>
/// <param name="Total">All ticks, idle and iowait included.</param>
public readonly record struct CpuTimes(ulong Busy, ulong Total);
