using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hyperion.Domain.Errors;

namespace Hyperion.Domain.Vms;

/// <summary>
/// How guest customization configures the guest's network: DHCP (the default, <see cref="Address"/> null) or one static
/// address in CIDR form (<c>10.0.0.5/24</c>, <c>2001:db8::5/64</c>) with an optional default gateway of the same family.
/// <see cref="DnsServers"/> apply in both modes (with DHCP they are used in addition to the leased ones).
/// </summary>
public sealed record GuestNetwork
{
    public const int MaxDnsServers = 3;

    /// <summary>DHCP on every ethernet interface, no extra DNS servers.</summary>
    public static GuestNetwork Dhcp { get; } = new();

    /// <summary>Static address <c>address/prefix</c>; null means DHCP.</summary>
    public string? Address { get; init; }

    /// <summary>Default gateway; only with a static <see cref="Address"/>, same address family.</summary>
    public string? Gateway { get; init; }

    public IReadOnlyList<string> DnsServers { get; init; } = [];

    /// <summary>
    /// The NIC to configure, by MAC address (e.g. the VM's first <see cref="NicSpec.Mac"/>); null: every interface named
    /// <c>e*</c>. Name patterns only work where cloud-init hands the config to netplan (Ubuntu, Debian 12 cloud images);
    /// its own renderers (ENI, networkd, sysconfig) ignore them and need the MAC.
    /// </summary>
    public string? MacAddress { get; init; }

    public bool IsDhcp => Address is null;

    public static GuestNetwork Static(string address, string? gateway = null, IReadOnlyList<string>? dnsServers = null) =>
        new() { Address = address, Gateway = gateway, DnsServers = dnsServers ?? [] };

    /// <summary>Every rule violation, each naming its field as <c>{prefix}.address</c>, <c>{prefix}.gateway</c> or <c>{prefix}.dnsServers[i]</c>.</summary>
    public IReadOnlyList<DomainError> Validate(string prefix = "network")
    {
        var errors = new List<DomainError>();
        (IPAddress Ip, int PrefixLength)? address = null;
        if (Address is not null)
        {
            var field = $"{prefix}.address";
            if (TryParseCidr(Address, out var ip, out var length, out var problem))
            {
                address = (ip, length);
                if (ip.AddressFamily == AddressFamily.InterNetwork && length <= 30 && (IsNetworkAddress(ip, length) || IsBroadcastAddress(ip, length)))
                {
                    errors.Add(Error(field, $"{field} '{Address}' is the network or broadcast address of its subnet"));
                }
            }
            else
            {
                errors.Add(Error(field, $"{field} '{Address}' is not an address in CIDR form (like 10.0.0.5/24 or 2001:db8::5/64): {problem}"));
            }
        }

        if (Gateway is not null)
        {
            var field = $"{prefix}.gateway";
            if (Address is null)
            {
                errors.Add(Error(field, $"{field} needs a static {prefix}.address (with DHCP the gateway comes from the lease)"));
            }
            else if (!TryParseAddress(Gateway, out var gateway))
            {
                errors.Add(Error(field, $"{field} '{Gateway}' is not an IP address"));
            }
            else if (address is { } a)
            {
                if (gateway.AddressFamily != a.Ip.AddressFamily)
                {
                    errors.Add(Error(field, $"{field} '{Gateway}' is not of the same address family as {prefix}.address '{Address}'"));
                }
                else if (gateway.Equals(a.Ip))
                {
                    errors.Add(Error(field, $"{field} '{Gateway}' is the guest's own address"));
                }
                else if (!(gateway.AddressFamily == AddressFamily.InterNetworkV6 && gateway.IsIPv6LinkLocal) && !SameNetwork(gateway, a.Ip, a.PrefixLength))
                {
                    errors.Add(Error(field, $"{field} '{Gateway}' is outside the subnet of {prefix}.address '{Address}'"));
                }
            }
        }

        if (MacAddress is not null && !MacAddresses.IsValid(MacAddress))
        {
            var field = $"{prefix}.macAddress";
            errors.Add(Error(field, $"{field} '{MacAddress}' is not a unicast MAC address like 52:54:00:12:34:56"));
        }

        if (DnsServers is null)
        {
            errors.Add(Error($"{prefix}.dnsServers", $"{prefix}.dnsServers must be a list (may be empty)"));
            return errors;
        }

        if (DnsServers.Count > MaxDnsServers)
        {
            errors.Add(Error($"{prefix}.dnsServers", $"{prefix}.dnsServers has {DnsServers.Count} entries; at most {MaxDnsServers} are allowed"));
        }

        for (var i = 0; i < DnsServers.Count; i++)
        {
            if (!TryParseAddress(DnsServers[i], out _))
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"{prefix}.dnsServers[{i}]");
                errors.Add(Error(field, $"{field} '{DnsServers[i]}' is not an IP address"));
            }
        }

        return errors;
    }

    /// <summary>
    /// Parses <c>address/prefix</c> strictly: dotted-quad IPv4 (no <c>10.1</c> shorthands) or IPv6 without a zone,
    /// prefix 1–32 or 1–128. The address keeps its host bits (it is the guest's address, not a network).
    /// </summary>
    public static bool TryParseCidr(string? text, out IPAddress address, out int prefixLength, out string problem)
    {
        address = IPAddress.None;
        prefixLength = 0;
        if (string.IsNullOrEmpty(text))
        {
            problem = "it is empty";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            problem = "the /prefix is missing";
            return false;
        }

        if (!TryParseAddress(text[..slash], out address))
        {
            problem = $"'{text[..slash]}' is not an IP address";
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var lengthText = text[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit)
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength) || prefixLength < 1 || prefixLength > max)
        {
            problem = $"the prefix length must be a number from 1 to {max}";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>Strict IP address parsing: IPv4 only as four dotted decimals, IPv6 without a zone (<c>%eth0</c>).</summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork
            && !string.Equals(parsed.ToString(), text, StringComparison.Ordinal))
        {
            // IPAddress accepts "10.1", "0x0a.1" and "010.0.0.1"; a guest's resolver or netplan may read them differently.
            return false;
        }

        if (parsed.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static bool SameNetwork(IPAddress a, IPAddress b, int prefixLength)
    {
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        for (var bit = 0; bit < prefixLength; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNetworkAddress(IPAddress ip, int prefixLength) => HostBitsAll(ip, prefixLength, set: false);

    private static bool IsBroadcastAddress(IPAddress ip, int prefixLength) => HostBitsAll(ip, prefixLength, set: true);

    private static bool HostBitsAll(IPAddress ip, int prefixLength, bool set)
    {
        var bytes = ip.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            var isSet = (bytes[bit / 8] & (0x80 >> (bit % 8))) != 0;
            if (isSet != set)
            {
                return false;
            }
        }

        return true;
    }

    private static DomainError Error(string field, string message) => new(ErrorCodes.CustomizationInvalid, message, field);
}
