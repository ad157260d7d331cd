using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hyperion.Host.Security;

/// <summary>The host's root account: a salted PBKDF2 hash in <c>credentials.json</c>, set once at first start.</summary>
public sealed class RootCredentials
{
    public const string UserName = "root";
    private const int Iterations = 210_000;
    private readonly byte[] _salt;
    private readonly byte[] _hash;

    // Verified passwords are remembered by their SHA-256 so Basic auth on every call does not pay PBKDF2 each time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _verified = new();

    private RootCredentials(byte[] salt, byte[] hash)
    {
        _salt = salt;
        _hash = hash;
    }

    /// <summary>Loads the stored credentials, or creates them. <paramref name="generatedPassword"/> is set only when a password was generated and must be shown once.</summary>
    public static RootCredentials LoadOrCreate(string dataDirectory, string? initialPassword, out string? generatedPassword)
    {
        generatedPassword = null;
        var path = Path.Combine(dataDirectory, "credentials.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
            return new RootCredentials(Convert.FromBase64String(stored.Salt), Convert.FromBase64String(stored.Hash));
        }

        var password = initialPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789", 20);
            generatedPassword = password;
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(password, salt);
        var json = JsonSerializer.Serialize(new Stored(UserName, Convert.ToBase64String(salt), Convert.ToBase64String(hash), Iterations));
        var temp = path + ".tmp";
        File.WriteAllText(temp, json);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        return new RootCredentials(salt, hash);
    }

    public bool Verify(string user, string password)
    {
        if (user != UserName)
        {
            return false;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        if (_verified.TryGetValue(key, out var ok))
        {
            return ok;
        }

        ok = CryptographicOperations.FixedTimeEquals(Derive(password, _salt), _hash);
        if (ok)
        {
            _verified[key] = true;
        }

        return ok;
    }

    private static byte[] Derive(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);

    private sealed record Stored(string User, string Salt, string Hash, int Iterations);
}
