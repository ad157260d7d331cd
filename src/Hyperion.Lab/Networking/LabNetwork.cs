using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab.Networking;

/// <summary>
/// The lab's L2 network, made with <c>ip</c> (argv, never a shell): a bridge in the root namespace holding the
/// Center's address, and per host a namespace joined to the bridge by a veth pair.
/// </summary>
public sealed class LabNetwork(IProcessRunner runner, TimeProvider time)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public async Task CreateBridgeAsync(string bridge, string cidr, CancellationToken cancellationToken)
    {
        await IpAsync(cancellationToken, "link", "add", bridge, "type", "bridge");
        await IpAsync(cancellationToken, "addr", "add", cidr, "dev", bridge);
        await IpAsync(cancellationToken, "link", "set", bridge, "up");
    }

    public Task CreateNamespaceAsync(string name, CancellationToken cancellationToken) => IpAsync(cancellationToken, "netns", "add", name);

    /// <summary>Veth <paramref name="hostVeth"/> on <paramref name="bridge"/>, its peer in <paramref name="ns"/> with <paramref name="cidr"/>; loopback up.</summary>
    public async Task ConnectNamespaceAsync(string ns, string hostVeth, string peerVeth, string bridge, string cidr, CancellationToken cancellationToken)
    {
        await IpAsync(cancellationToken, "link", "add", hostVeth, "type", "veth", "peer", "name", peerVeth);
        await IpAsync(cancellationToken, "link", "set", peerVeth, "netns", ns);
        await IpAsync(cancellationToken, "link", "set", hostVeth, "master", bridge);
        await IpAsync(cancellationToken, "link", "set", hostVeth, "up");
        await IpAsync(cancellationToken, "-n", ns, "addr", "add", cidr, "dev", peerVeth);
        await IpAsync(cancellationToken, "-n", ns, "link", "set", peerVeth, "up");
        await IpAsync(cancellationToken, "-n", ns, "link", "set", "lo", "up");
    }

    /// <summary>Deletes a namespace if it exists (its end of every veth goes with it, and so the pair).</summary>
    public async Task DeleteNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if ((await ListNamespacesAsync(cancellationToken)).Contains(name))
        {
            await IpAsync(cancellationToken, "netns", "del", name);
        }
    }

    /// <summary>Deletes a link of the root namespace if it exists.</summary>
    public async Task DeleteLinkAsync(string name, CancellationToken cancellationToken)
    {
        if (!LinkExists(name))
        {
            return;
        }

        var result = await RunIpAsync(cancellationToken, "link", "del", name);
        if (result.Succeeded)
        {
            return;
        }

        // A veth also goes when the namespace holding its peer is destroyed, which the kernel does asynchronously:
        // it may be on its way out while still listed. Give it a moment before calling this a failure.
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(5);
        while (LinkExists(name) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        if (LinkExists(name))
        {
            throw new LabException($"ip link del {name}: {result.StandardError.Trim()}");
        }
    }

    /// <summary>Sets a link of namespace <paramref name="ns"/> up or down (a host's veth end: <c>isolate</c> and <c>heal</c>).</summary>
    public Task SetLinkStateAsync(string ns, string link, bool up, CancellationToken cancellationToken) =>
        IpAsync(cancellationToken, "-n", ns, "link", "set", link, up ? "up" : "down");

    /// <summary>
    /// A <c>blackhole</c> route to <paramref name="destination"/> (<c>A/32</c>) in <paramref name="ns"/>: more specific than
    /// the subnet's, so that address becomes unreachable from there. <c>replace</c>: adding it twice is fine.
    /// </summary>
    public Task AddBlackholeRouteAsync(string ns, string destination, CancellationToken cancellationToken) =>
        IpAsync(cancellationToken, "-n", ns, "route", "replace", "blackhole", destination);

    /// <summary>Deletes a blackhole route; one that is already gone (or a namespace that is) is not an error.</summary>
    public async Task DeleteBlackholeRouteAsync(string ns, string destination, CancellationToken cancellationToken)
    {
        var result = await RunIpAsync(cancellationToken, "-n", ns, "route", "del", "blackhole", destination);
        var error = result.StandardError;
        if (!result.Succeeded && !error.Contains("No such process", StringComparison.Ordinal) && !error.Contains("No such file or directory", StringComparison.Ordinal))
        {
            throw new LabException($"ip -n {ns} route del blackhole {destination}: {(result.TimedOut ? "timed out" : error.Trim())}");
        }
    }

    /// <summary>The PIDs of every process in namespace <paramref name="ns"/> (<c>ip netns pids</c>); empty when the namespace is gone.</summary>
    public async Task<IReadOnlyList<int>> ListNamespacePidsAsync(string ns, CancellationToken cancellationToken)
    {
        var result = await RunIpAsync(cancellationToken, "netns", "pids", ns);
        return result.Succeeded ? ParsePids(result.StandardOutput) : [];
    }

    /// <summary>One PID per line (<c>ip netns pids</c>).</summary>
    public static IReadOnlyList<int> ParsePids(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();

    public static bool LinkExists(string name) => Directory.Exists($"/sys/class/net/{name}");

    public async Task<IReadOnlyList<string>> ListNamespacesAsync(CancellationToken cancellationToken) =>
        ParseNamespaces((await RunIpAsync(cancellationToken, "netns", "list")).StandardOutput);

    /// <summary>
    /// Why <paramref name="subnet"/> cannot be the lab's in the root namespace (an address or a route already in it),
    /// or null when it is free. The default route does not count.
    /// </summary>
    public async Task<string?> FindSubnetConflictAsync(Ipv4Subnet subnet, CancellationToken cancellationToken)
    {
        var addresses = ParseAddresses((await RunIpAsync(cancellationToken, "-4", "-o", "addr", "show")).StandardOutput);
        var address = addresses.FirstOrDefault(a => a.Subnet.Overlaps(subnet));
        if (address.Interface is not null)
        {
            return $"{subnet} overlaps {address.Subnet} of {address.Interface}";
        }

        var routes = ParseRoutes((await RunIpAsync(cancellationToken, "-4", "-o", "route", "show")).StandardOutput);
        var route = routes.FirstOrDefault(r => r.Subnet.Overlaps(subnet));
        return route.Line is not null ? $"{subnet} overlaps the route '{route.Line}'" : null;
    }

    /// <summary>Names from <c>ip netns list</c> ("name" or "name (id: 3)").</summary>
    public static IReadOnlyList<string> ParseNamespaces(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2)[0])
            .ToList();

    /// <summary>Interface and network of each line of <c>ip -4 -o addr show</c> ("4: eth0    inet 192.0.2.2/24 brd …").</summary>
    public static IReadOnlyList<(string Interface, Ipv4Subnet Subnet)> ParseAddresses(string output)
    {
        var result = new List<(string, Ipv4Subnet)>();
        foreach (var line in (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var inet = Array.IndexOf(fields, "inet");
            if (inet < 2 || inet + 1 >= fields.Length)
            {
                continue;
            }

            if (NetworkOf(fields[inet + 1]) is { } network)
            {
                result.Add((fields[1], network));
            }
        }

        return result;
    }

    /// <summary>Destination network of each line of <c>ip -4 -o route show</c>, without the default route.</summary>
    public static IReadOnlyList<(string Line, Ipv4Subnet Subnet)> ParseRoutes(string output)
    {
        var result = new List<(string, Ipv4Subnet)>();
        foreach (var raw in (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = raw.Trim();
            var destination = line.Split(' ', 2)[0];
            if (destination != "default" && NetworkOf(destination) is { } network)
            {
                result.Add((line, network));
            }
        }

        return result;
    }

    /// <summary>The network of an interface address such as 192.0.2.2/24 (host bits cleared).</summary>
    private static Ipv4Subnet? NetworkOf(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? "32" : cidr[(slash + 1)..];
        var address = slash < 0 ? cidr : cidr[..slash];
        if (!Ipv4Subnet.TryParse($"{address}/32", out var host, out _) || !int.TryParse(prefix, System.Globalization.CultureInfo.InvariantCulture, out var length) || length is < 0 or > 32)
        {
            return null;
        }

        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return new Ipv4Subnet(host.Network & mask, length);
    }

    private async Task IpAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var result = await RunIpAsync(cancellationToken, arguments);
        if (!result.Succeeded)
        {
            var why = result.TimedOut ? "timed out" : result.StandardError.Trim();
            throw new LabException($"ip {string.Join(' ', arguments)}: {why}");
        }
    }

    private Task<ProcessResult> RunIpAsync(CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessSpec("ip", arguments) { Timeout = CommandTimeout }, cancellationToken);
}
