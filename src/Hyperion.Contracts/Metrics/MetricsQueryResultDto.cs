namespace Hyperion.Contracts.Metrics;

/// <summary>
/// The Center's <c>GET /api/metrics</c>: the series of <see cref="Object"/> (<c>host-N</c>, <c>vm-N</c>) at one
/// <see cref="Interval"/> (<c>realtime</c>, <c>5m</c>, <c>1h</c>) between <see cref="From"/> and <see cref="To"/>
/// (inclusive); one series per counter asked for (or per counter stored, when none was named).
/// </summary>
public sealed record MetricsQueryResultDto(string Object, string Interval, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MetricSeriesDto> Series);
