using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Hyperion.Center.Persistence.Entities;

namespace Hyperion.Center.Security;

/// <summary>
/// Remembers successful password checks, keyed by a SHA-256 over user, password and stored hash, so HTTP Basic on
/// every call does not pay PBKDF2 each time. A password change changes the stored hash and so misses the cache.
/// Only successes are cached: a wrong password always pays the full PBKDF2 cost.
/// </summary>
public sealed class VerifiedPasswordCache
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public bool Verify(UserRecord user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Name}\0{password}\0{Convert.ToBase64String(user.PasswordHash)}")));
        if (_verified.ContainsKey(key))
        {
            return true;
        }

        if (!PasswordHasher.Verify(user, password))
        {
            return false;
        }

        _verified[key] = true;
        return true;
    }
}
