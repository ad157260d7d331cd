using Hyperion.Lab.Planning;

namespace Hyperion.Lab.State;

/// <summary>
/// The lab's etcd cluster as started: what <c>lab power-on</c> needs to restart a member into it (same data directory,
/// <c>--initial-cluster-state existing</c>) and what <c>lab status</c> checks.
/// </summary>
public sealed record LabEtcdState(string Command, string Token, string InitialCluster, int HeartbeatIntervalMs, int ElectionTimeoutMs, IReadOnlyList<LabEtcdMemberState> Members)
{
    public LabEtcdMemberState? ForHost(int index) => Members.FirstOrDefault(m => m.Name == $"host-{index}");

    /// <summary>Every member's client URL, as <c>etcdctl --endpoints</c> takes them.</summary>
    public string Endpoints => string.Join(',', Members.Select(m => m.ClientUrl));

    public static LabEtcdState From(LabEtcdPlan plan, string command, string token)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(command, token, plan.InitialCluster, plan.HeartbeatIntervalMs, plan.ElectionTimeoutMs, plan.Members.Select(LabEtcdMemberState.From).ToList());
    }
}
