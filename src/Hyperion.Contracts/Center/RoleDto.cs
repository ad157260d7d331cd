namespace Hyperion.Contracts.Center;

/// <summary>A role: a named set of privileges (built-in: Administrator, VM operator, Read-only; or custom).</summary>
public sealed record RoleDto(long Id, string Name, bool BuiltIn, IReadOnlyList<string> Privileges);

/// <summary><c>POST /api/roles</c>: a custom role from privileges (see <c>GET /api/privileges</c>).</summary>
public sealed record RoleCreateRequest(string? Name, IReadOnlyList<string>? Privileges);
