using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hyperion.Lab.Planning;

/// <summary>An IPv4 network such as <c>10.99.0.0/24</c>; <see cref="Network"/> is the address as a host-order number.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    /// <summary>Number of addresses, network and broadcast included.</summary>
    public ulong Size => 1UL << (32 - PrefixLength);

    private uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>
    /// Parses <c>A.B.C.D/P</c>, or a bare address as /32 (as <c>ip route</c> prints host routes). The address must be
    /// the network's first (no host bits set).
    /// </summary>
    public static bool TryParse(string? text, out Ipv4Subnet subnet, out string? error)
    {
        subnet = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty subnet (expected for example 10.99.0.0/24)";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        var prefix = 32;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32))
        {
            error = $"'{text}' has no valid prefix length (expected for example 10.99.0.0/24)";
            return false;
        }

        if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily != AddressFamily.InterNetwork || addressText.Count(c => c == '.') != 3)
        {
            error = $"'{text}' is not an IPv4 network (expected for example 10.99.0.0/24)";
            return false;
        }

        var candidate = new Ipv4Subnet(ToNumber(address), prefix);
        if ((candidate.Network & ~candidate.Mask) != 0)
        {
            var network = new Ipv4Subnet(candidate.Network & candidate.Mask, prefix);
            error = $"'{text}' is not a network address (did you mean {network}?)";
            return false;
        }

        subnet = candidate;
        return true;
    }

    /// <summary>The address <paramref name="offset"/> places after the network address.</summary>
    public IPAddress Address(uint offset)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)offset, Size);
        return FromNumber(Network + offset);
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork && (ToNumber(address) & Mask) == Network;
    }

    /// <summary>True when the two networks share an address (one contains the other).</summary>
    public bool Overlaps(Ipv4Subnet other)
    {
        var mask = PrefixLength <= other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() => $"{FromNumber(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static uint ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress FromNumber(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
