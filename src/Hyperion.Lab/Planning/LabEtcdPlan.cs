namespace Hyperion.Lab.Planning;

/// <summary>
/// The lab's etcd cluster (for the hosts' HA): one member per host in its namespace, plus a <c>witness</c> on the
/// bridge address when the host count is even, so the member count is always odd and losing any one host keeps a
/// quorum. Timing is etcd's default, kept explicit: heartbeat 100 ms, election timeout 1000 ms.
/// </summary>
public sealed record LabEtcdPlan(IReadOnlyList<LabEtcdMemberPlan> Members, int HeartbeatIntervalMs, int ElectionTimeoutMs)
{
    /// <summary>etcd's <c>--initial-cluster</c>: <c>name=peerURL</c> for every member, comma-separated.</summary>
    public string InitialCluster => string.Join(',', Members.Select(m => $"{m.Name}={m.PeerUrl.GetLeftPart(UriPartial.Authority)}"));

    public LabEtcdMemberPlan? Witness => Members.FirstOrDefault(m => m.IsWitness);

    public LabEtcdMemberPlan ForHost(int index) => Members.Single(m => m.Name == $"host-{index}");

    /// <summary>
    /// A host agent's <c>--etcd</c> list: its own member first (local, and in its partition), then the other hosts'
    /// members in order, then the witness.
    /// </summary>
    public IReadOnlyList<string> EndpointsFor(int hostIndex)
    {
        var own = ForHost(hostIndex);
        return [
            Url(own),
            .. Members.Where(m => m != own && !m.IsWitness).Select(Url),
            .. Members.Where(m => m.IsWitness).Select(Url),
        ];
    }

    private static string Url(LabEtcdMemberPlan member) => member.ClientUrl.GetLeftPart(UriPartial.Authority);
}
