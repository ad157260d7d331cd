namespace Hyperion.Contracts.Center;

public sealed record UserDto(string Name, DateTimeOffset CreatedAt);
