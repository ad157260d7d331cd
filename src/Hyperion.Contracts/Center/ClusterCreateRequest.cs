namespace Hyperion.Contracts.Center;

/// <summary>Creates a cluster in the root host folder of <see cref="Datacenter"/> (its id or name).</summary>
public sealed record ClusterCreateRequest(string? Name, string? Datacenter);
