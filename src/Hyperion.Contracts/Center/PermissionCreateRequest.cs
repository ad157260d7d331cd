namespace Hyperion.Contracts.Center;

/// <summary>Grants <see cref="Role"/> (a role name) to <see cref="User"/> on <see cref="Object"/> (an inventory id); replaces the user's permission on that object.</summary>
public sealed record PermissionCreateRequest(string? User, string? Role, string? Object, bool Propagate = true);
