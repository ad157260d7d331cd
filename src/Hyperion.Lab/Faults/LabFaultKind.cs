namespace Hyperion.Lab.Faults;

/// <summary>What <c>hyperion lab fault HOST --kind K</c> does to a host (names as on the command line).</summary>
public enum LabFaultKind
{
    /// <summary><c>power-off</c>: SIGKILL, at once, to every process in the host's namespace (agent, QEMUs, etcd member, helpers).</summary>
    PowerOff,

    /// <summary><c>agent-crash</c>: SIGKILL to the agent only; its QEMUs and etcd member run on.</summary>
    AgentCrash,

    /// <summary><c>isolate</c>: the host's veth goes down in its namespace: no network at all, storage (a local directory) intact.</summary>
    Isolate,

    /// <summary><c>partition</c>: blackhole routes between the host and every other host; the bridge address (Center, witness) stays reachable.</summary>
    Partition,

    /// <summary><c>heal</c>: undoes isolate and partition (a powered-off host needs <c>lab power-on</c> instead).</summary>
    Heal,
}
