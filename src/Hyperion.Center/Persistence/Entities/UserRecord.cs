namespace Hyperion.Center.Persistence.Entities;

/// <summary>A local user. The password is kept only as PBKDF2-HMAC-SHA256 hash, salt and iteration count.</summary>
public sealed class UserRecord
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required byte[] PasswordHash { get; set; }

    public required byte[] PasswordSalt { get; set; }

    public int PasswordIterations { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
