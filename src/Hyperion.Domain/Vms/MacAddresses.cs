namespace Hyperion.Domain.Vms;

/// <summary>MAC addresses for NICs, in QEMU's locally administered 52:54:00 prefix.</summary>
public static class MacAddresses
{
    public static string FromRandom(ReadOnlySpan<byte> threeRandomBytes)
    {
        if (threeRandomBytes.Length < 3)
        {
            throw new ArgumentException("three bytes are needed", nameof(threeRandomBytes));
        }

        return $"52:54:00:{threeRandomBytes[0]:x2}:{threeRandomBytes[1]:x2}:{threeRandomBytes[2]:x2}";
    }

    public static bool IsValid(string? mac)
    {
        if (mac is null || mac.Length != 17)
        {
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            var ok = i % 3 == 2 ? mac[i] == ':' : char.IsAsciiHexDigit(mac[i]);
            if (!ok)
            {
                return false;
            }
        }

        // A unicast address: the low bit of the first octet must be clear.
        return (Convert.ToByte(mac[..2], 16) & 1) == 0;
    }
}
