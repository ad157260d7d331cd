namespace Hyperion.Center.Hosts;

/// <summary>How often the Center calls each host, and how long a host may fail to answer before it is <c>notResponding</c>.</summary>
public sealed record HostMonitorOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(15);
}
