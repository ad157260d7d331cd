namespace Hyperion.Hypervisor.Metrics;

/// <summary>Cumulative byte counters of one network interface, from the host's point of view.</summary>
public readonly record struct NetDevCounters(string Name, ulong ReceivedBytes, ulong TransmittedBytes);
