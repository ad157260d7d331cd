using System.Net;
using Hyperion.Lab.Networking;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Faults;

/// <summary>
/// Network faults of a lab host and their undoing, only ever on the lab's own namespaces and veths: <c>isolate</c>
/// sets the host's veth end down; <c>partition</c> adds /32 blackhole routes between the host and every other host
/// (never towards the bridge address, so Center and witness stay reachable), and records them for <c>heal</c>.
/// </summary>
public sealed class LabNetworkFaults(LabNetwork network)
{
    /// <summary>The veth end in host <paramref name="host"/>'s namespace (<c>hyp{name}-pN</c>, as <see cref="Planning.LabPlan"/> names it).</summary>
    public static string PeerVeth(LabState state, LabHostState host)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(host);
        return $"hyp{state.Name}-p{host.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>A host's address as a /32, from its URL.</summary>
    public static string HostRoute(LabHostState host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return $"{IPAddress.Parse(new Uri(host.Url).Host)}/32";
    }

    /// <summary>Pure: the blackhole routes that cut <paramref name="host"/> off from every other host, both ways.</summary>
    public static IReadOnlyList<LabBlackholeRoute> PartitionRoutes(LabState state, LabHostState host)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(host);
        var others = state.Hosts.Where(h => h.Index != host.Index).OrderBy(h => h.Index).ToList();
        return [
            .. others.Select(o => new LabBlackholeRoute(host.Namespace, HostRoute(o))),
            .. others.Select(o => new LabBlackholeRoute(o.Namespace, HostRoute(host))),
        ];
    }

    public Task IsolateAsync(LabState state, LabHostState host, CancellationToken cancellationToken) =>
        network.SetLinkStateAsync(host.Namespace, PeerVeth(state, host), up: false, cancellationToken);

    /// <summary>Adds <paramref name="routes"/> (idempotent: <c>ip route replace</c>).</summary>
    public async Task AddRoutesAsync(IReadOnlyList<LabBlackholeRoute> routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var route in routes)
        {
            await network.AddBlackholeRouteAsync(route.Namespace, route.Destination, cancellationToken);
        }
    }

    /// <summary>
    /// Undoes <paramref name="host"/>'s isolation and partition (what is already undone is skipped); returns what it
    /// did. A route another host's partition also needs (both partitioned) stays until that host heals.
    /// </summary>
    public async Task<IReadOnlyList<string>> HealAsync(LabState state, LabHostState host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(host);
        var done = new List<string>();
        if (host.Isolated)
        {
            await network.SetLinkStateAsync(host.Namespace, PeerVeth(state, host), up: true, cancellationToken);
            done.Add($"link {PeerVeth(state, host)} up in {host.Namespace}");
        }

        var stillNeeded = state.Hosts.Where(h => h.Index != host.Index).SelectMany(h => h.PartitionRoutes ?? []).ToHashSet();
        foreach (var route in host.PartitionRoutes ?? [])
        {
            if (!stillNeeded.Contains(route))
            {
                await network.DeleteBlackholeRouteAsync(route.Namespace, route.Destination, cancellationToken);
                done.Add($"route blackhole {route.Destination} deleted in {route.Namespace}");
            }
        }

        return done;
    }
}
