namespace Hyperion.Contracts.Metrics;

/// <summary>
/// The values of one entity at one sampling time. <see cref="Entity"/> is <c>host</c> or the host-local id of a VM
/// (<c>vm-3</c>); <see cref="Values"/> maps counter names (<see cref="MetricCounters"/>) to values. A counter is absent
/// when it could not be measured at that time (rates need two readings, so a VM's first sample has no rates).
/// </summary>
public sealed record MetricSampleDto(DateTimeOffset Time, string Entity, IReadOnlyDictionary<string, double> Values);
