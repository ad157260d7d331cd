namespace Hyperion.Contracts.Center;

public sealed record PermissionDto(string User, string Role, string Object, bool Propagate);
