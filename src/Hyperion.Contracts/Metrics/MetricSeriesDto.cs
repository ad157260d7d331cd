namespace Hyperion.Contracts.Metrics;

/// <summary>One counter of one object over time, oldest point first.</summary>
public sealed record MetricSeriesDto(string Counter, string Unit, IReadOnlyList<MetricPointDto> Points);
