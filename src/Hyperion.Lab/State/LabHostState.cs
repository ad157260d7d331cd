using System.Text.Json.Serialization;

namespace Hyperion.Lab.State;

/// <summary>Host <see cref="Index"/> of a lab: where it runs and its root credentials; <see cref="CenterHostId"/> once the Center added it.</summary>
public sealed record LabHostState(int Index, string Namespace, string Url, string DataDirectory, string RootPassword)
{
    public string Name => $"host-{Index}";

    public string? Fingerprint { get; init; }

    public string? CenterHostId { get; init; }

    /// <summary>The agent's argv as <c>lab up</c> started it (<c>ip netns exec NS … host serve …</c>), so <c>lab power-on</c> restarts it alike. Null lists are absent ones (older state files).</summary>
    public IReadOnlyList<string>? AgentCommand { get; init; }

    /// <summary>The agent's <c>--etcd</c> list (its own member first); null without etcd.</summary>
    public IReadOnlyList<string>? EtcdEndpoints { get; init; }

    /// <summary><c>lab fault --kind power-off</c>: every process of its namespace was killed; <c>lab power-on</c> undoes it.</summary>
    public bool PoweredOff { get; init; }

    /// <summary><c>lab fault --kind agent-crash</c>: the agent was killed (its VMs and etcd member were not); <c>lab power-on</c> undoes it.</summary>
    public bool AgentCrashed { get; init; }

    /// <summary><c>lab fault --kind isolate</c>: its veth is down in its namespace; <c>heal</c> undoes it.</summary>
    public bool Isolated { get; init; }

    /// <summary><c>lab fault --kind partition</c>: the blackhole routes added (in its namespace and the other hosts'); <c>heal</c> deletes them.</summary>
    public IReadOnlyList<LabBlackholeRoute>? PartitionRoutes { get; init; }

    [JsonIgnore]
    public bool Partitioned => PartitionRoutes is { Count: > 0 };

    /// <summary>The faults in effect, by their <c>--kind</c> names (empty when none).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Faults =>
    [
        .. PoweredOff ? ["power-off"] : Array.Empty<string>(),
        .. AgentCrashed ? ["agent-crash"] : Array.Empty<string>(),
        .. Isolated ? ["isolate"] : Array.Empty<string>(),
        .. Partitioned ? ["partition"] : Array.Empty<string>(),
    ];
}
