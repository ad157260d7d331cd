namespace Hyperion.Contracts.Metrics;

/// <summary>One performance counter: its name (<c>cpu.usage</c>), unit (<c>percent</c>, <c>bytes</c>, <c>bytesPerSecond</c>) and meaning.</summary>
public sealed record MetricCounterDto(string Name, string Unit, string Description);
