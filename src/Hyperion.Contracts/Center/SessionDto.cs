namespace Hyperion.Contracts.Center;

/// <summary>A new Center session: send <see cref="Token"/> as <c>Authorization: Bearer</c>. Idle sessions expire; each call slides <see cref="ExpiresAt"/>.</summary>
public sealed record SessionDto(string Token, DateTimeOffset ExpiresAt, string User);
