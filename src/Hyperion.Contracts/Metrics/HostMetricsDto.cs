namespace Hyperion.Contracts.Metrics;

/// <summary>
/// <c>GET /api/metrics?since=</c> on a host agent: its samples newer than <c>since</c> (all it keeps, the last hour,
/// without it), oldest first. Sample times are whole milliseconds, so a client can pass the last time it stored as
/// <c>since</c> and get exactly the newer samples. <see cref="Simulated"/> is true on a host running the SIMULATED
/// driver: its VM values are synthetic.
/// </summary>
public sealed record HostMetricsDto(double IntervalSeconds, bool Simulated, IReadOnlyList<MetricSampleDto> Samples);
