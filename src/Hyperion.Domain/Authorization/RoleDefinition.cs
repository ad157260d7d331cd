namespace Hyperion.Domain.Authorization;

/// <summary>A named set of privileges.</summary>
public sealed record RoleDefinition(string Name, IReadOnlyList<string> Privileges);
