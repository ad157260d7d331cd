using System.Security.Cryptography;

namespace Hyperion.Lab.State;

/// <summary>Passwords the lab generates for the Center's administrator and the hosts' root accounts.</summary>
public static class LabSecrets
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /// <summary>24 characters from an unambiguous alphanumeric alphabet (about 140 bits), safe in a shell and a URL.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 24);
}
