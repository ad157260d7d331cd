namespace Hyperion.Center.Metrics;

/// <summary>The average, minimum and maximum of <see cref="Count"/> samples.</summary>
public readonly record struct MetricAggregate(double Average, double Min, double Max, int Count);
