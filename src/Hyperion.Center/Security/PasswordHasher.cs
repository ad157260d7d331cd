using System.Security.Cryptography;
using System.Text;
using Hyperion.Center.Persistence.Entities;

namespace Hyperion.Center.Security;

/// <summary>
/// PBKDF2-HMAC-SHA256 with a per-user random salt, stored in the user record with its iteration count (so the count
/// can be raised later without invalidating old hashes). Same parameters as the host agent's root account.
/// </summary>
public static class PasswordHasher
{
    /// <summary>OWASP's floor for PBKDF2-HMAC-SHA256 as of 2023 was 210,000 (FIPS-140 compliant setting).</summary>
    public const int Iterations = 210_000;
    public const int SaltBytes = 16;
    public const int HashBytes = 32;

    /// <summary>Sets <paramref name="user"/>'s hash, salt and iteration count for <paramref name="password"/>.</summary>
    public static void Apply(UserRecord user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        user.PasswordSalt = salt;
        user.PasswordIterations = Iterations;
        user.PasswordHash = Derive(password, salt, Iterations);
    }

    public static bool Verify(UserRecord user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return user.PasswordIterations > 0
            && CryptographicOperations.FixedTimeEquals(Derive(password, user.PasswordSalt, user.PasswordIterations), user.PasswordHash);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
