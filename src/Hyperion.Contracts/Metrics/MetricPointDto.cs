namespace Hyperion.Contracts.Metrics;

/// <summary>
/// One point of a Center series. Realtime: the sampled value. Rollups: <see cref="Value"/> is the average over the
/// interval starting at <see cref="Time"/>, with the <see cref="Min"/> and <see cref="Max"/> of the samples in it.
/// </summary>
public sealed record MetricPointDto(DateTimeOffset Time, double Value, double? Min = null, double? Max = null);
