namespace Hyperion.Contracts.Center;

public sealed record UserCreateRequest(string? Name, string? Password);
