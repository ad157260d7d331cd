using System.Globalization;
using System.Net;

namespace Hyperion.Lab.Planning;

/// <summary>
/// Every name, address and path of a lab, derived from its options alone (pure): bridge <c>hyp{name}-br</c> holding
/// the subnet's .1 (the Center listens there, in the root namespace, so the browser and the hosts reach it); host N in
/// namespace <c>hyp{name}-N</c> at .(10+N) behind veth <c>hyp{name}-vN</c> (bridge side) / <c>hyp{name}-pN</c> (namespace side).
/// </summary>
public sealed record LabPlan(
    string Name,
    string Directory,
    Ipv4Subnet Subnet,
    string Bridge,
    IPAddress CenterAddress,
    int CenterPort,
    IReadOnlyList<LabHostPlan> Hosts)
{
    /// <summary>Host N gets the subnet's address .(FirstHostOffset + N).</summary>
    public const uint FirstHostOffset = 10;

    /// <summary>The etcd cluster, or null when the lab runs without one (<c>--no-etcd</c>).</summary>
    public LabEtcdPlan? Etcd { get; init; }

    public string CenterListen => $"{CenterAddress}:{CenterPort}";

    public Uri CenterUrl => new($"https://{CenterListen}");

    /// <summary>The bridge's address with the prefix, for <c>ip addr add</c>.</summary>
    public string BridgeCidr => $"{CenterAddress}/{Subnet.PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A host's address with the prefix, for <c>ip addr add</c> in its namespace.</summary>
    public string HostCidr(LabHostPlan host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return $"{host.Address}/{Subnet.PrefixLength.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <exception cref="LabException">The options are invalid (every problem in one message).</exception>
    public static LabPlan Create(LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new LabException(string.Join("; ", errors));
        }

        if (!Ipv4Subnet.TryParse(options.Subnet, out var subnet, out var error))
        {
            throw new LabException(error!); // Validate refused it already; kept for the compiler's sake.
        }

        var prefix = $"hyp{options.Name}";
        var hosts = Enumerable.Range(1, options.Hosts)
            .Select(i => new LabHostPlan(
                i,
                $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}",
                $"{prefix}-v{i.ToString(CultureInfo.InvariantCulture)}",
                $"{prefix}-p{i.ToString(CultureInfo.InvariantCulture)}",
                subnet.Address(FirstHostOffset + (uint)i),
                options.HostPort,
                LabPaths.HostData(options.Directory, i),
                LabPaths.HostLog(options.Directory, i)))
            .ToList();
        return new LabPlan(options.Name, options.Directory, subnet, $"{prefix}-br", subnet.Address(1), options.CenterPort, hosts)
        {
            Etcd = options.Etcd ? CreateEtcd(options, subnet, hosts) : null,
        };
    }

    private static LabEtcdPlan CreateEtcd(LabOptions options, Ipv4Subnet subnet, List<LabHostPlan> hosts)
    {
        LabEtcdMemberPlan Member(string name, string? ns, IPAddress address) =>
            new(name, ns, address, options.EtcdClientPort, options.EtcdPeerPort, LabPaths.EtcdData(options.Directory, name), LabPaths.EtcdLog(options.Directory, name));

        List<LabEtcdMemberPlan> members = [.. hosts.Select(h => Member(h.Name, h.Namespace, h.Address))];
        if (hosts.Count % 2 == 0)
        {
            members.Add(Member(LabEtcdMemberPlan.WitnessName, null, subnet.Address(1)));
        }

        return new LabEtcdPlan(members, (int)options.EtcdHeartbeatInterval.TotalMilliseconds, (int)options.EtcdElectionTimeout.TotalMilliseconds);
    }
}
