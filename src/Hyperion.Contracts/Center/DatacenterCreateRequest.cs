namespace Hyperion.Contracts.Center;

public sealed record DatacenterCreateRequest(string? Name);
