using System.Globalization;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Etcd;

/// <summary>
/// The argv of a lab etcd member (pure): <c>ip netns exec NS /usr/bin/etcd …</c> for a host's member (the exec keeps
/// the PID etcd's), the bare binary for the witness in the root namespace. Plain HTTP on the lab's private bridge:
/// nothing outside the machine reaches it, and the agents' client needs no certificates.
/// </summary>
public static class EtcdCommandLine
{
    /// <param name="newCluster">True at <c>lab up</c> (every member starts at once with <c>--initial-cluster-state new</c>);
    /// false to restart a member into the running cluster (<c>existing</c>; its data directory already holds its identity).</param>
    public static IReadOnlyList<string> Build(LabEtcdState cluster, LabEtcdMemberState member, bool newCluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(member);
        List<string> argv = member.Namespace is null ? [] : ["ip", "netns", "exec", member.Namespace];
        argv.AddRange([
            cluster.Command,
            "--name", member.Name,
            "--data-dir", member.DataDirectory,
            "--listen-client-urls", member.ClientUrl,
            "--advertise-client-urls", member.ClientUrl,
            "--listen-peer-urls", member.PeerUrl,
            "--initial-advertise-peer-urls", member.PeerUrl,
            "--initial-cluster", cluster.InitialCluster,
            "--initial-cluster-state", newCluster ? "new" : "existing",
            "--initial-cluster-token", cluster.Token,
            "--heartbeat-interval", cluster.HeartbeatIntervalMs.ToString(CultureInfo.InvariantCulture),
            "--election-timeout", cluster.ElectionTimeoutMs.ToString(CultureInfo.InvariantCulture),
            // Structured JSON lines (3.4's default capnslog logger is deprecated and says so at every start).
            "--logger", "zap",
        ]);
        return argv;
    }
}
