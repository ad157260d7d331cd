using Hyperion.Lab.Planning;

namespace Hyperion.Lab.State;

/// <summary>An etcd member the lab runs: <c>host-N</c> in that host's namespace, or the <c>witness</c> (<see cref="Namespace"/> null) in the root namespace.</summary>
public sealed record LabEtcdMemberState(string Name, string? Namespace, string ClientUrl, string PeerUrl, string DataDirectory, string Log)
{
    /// <summary>The role of its process in <see cref="LabState.Processes"/>: <c>etcd-host-N</c> or <c>etcd-witness</c>.</summary>
    public string Role => LabPaths.EtcdRole(Name);

    public static LabEtcdMemberState From(LabEtcdMemberPlan member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new(member.Name, member.Namespace, member.ClientUrl.GetLeftPart(UriPartial.Authority), member.PeerUrl.GetLeftPart(UriPartial.Authority), member.DataDirectory, member.LogFile);
    }
}
