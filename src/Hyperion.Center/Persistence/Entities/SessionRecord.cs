namespace Hyperion.Center.Persistence.Entities;

/// <summary>A login session. Only the SHA-256 of the bearer token is stored, so a leaked database does not leak sessions.</summary>
public sealed class SessionRecord
{
    /// <summary>SHA-256 of the token, 64 lowercase hex digits.</summary>
    public required string TokenHash { get; set; }

    public long UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
