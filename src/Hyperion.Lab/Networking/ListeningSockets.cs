using System.Globalization;
using System.Net;

namespace Hyperion.Lab.Networking;

/// <summary>
/// The TCP sockets listening in the caller's network namespace, from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>:
/// enough to tell whether the lab's witness can bind its ports on the bridge address (a wildcard listener, such as a
/// machine etcd on <c>0.0.0.0:2379</c>, takes that port on every address; one on 127.0.0.1 does not).
/// </summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>The listeners of the root namespace (this process's).</summary>
    public static IReadOnlyList<IPEndPoint> Read()
    {
        var found = new List<IPEndPoint>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                found.AddRange(Parse(File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No IPv6 (or no procfs): nothing listens there.
            }
        }

        return found;
    }

    /// <summary>Who among <paramref name="listeners"/> would keep a socket from binding <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static IReadOnlyList<IPEndPoint> Conflicts(IEnumerable<IPEndPoint> listeners, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(address);
        return listeners.Where(l => l.Port == port && (
                l.Address.Equals(address)
                || l.Address.Equals(IPAddress.Any)
                || l.Address.Equals(IPAddress.IPv6Any)
                || (l.Address.IsIPv4MappedToIPv6 && l.Address.MapToIPv4().Equals(address))))
            .ToList();
    }

    /// <summary>Pure: the listening endpoints of a <c>/proc/net/tcp</c> or <c>tcp6</c> table (hex address in kernel word order, hex port).</summary>
    public static IReadOnlyList<IPEndPoint> Parse(string table)
    {
        var result = new List<IPEndPoint>();
        foreach (var line in (table ?? string.Empty).Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != ListenState)
            {
                continue;
            }

            var colon = fields[1].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0
                || !int.TryParse(fields[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
                || ParseAddress(fields[1][..colon]) is not { } address)
            {
                continue;
            }

            result.Add(new IPEndPoint(address, port));
        }

        return result;
    }

    /// <summary>32-bit words printed as hex in host (little-endian) order: 0100007F is 127.0.0.1.</summary>
    private static IPAddress? ParseAddress(string hex)
    {
        if (hex.Length is not (8 or 32))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }

        return new IPAddress(bytes);
    }
}
