using System.Net;

namespace Hyperion.Lab.Planning;

/// <summary>Host <see cref="Index"/> of a lab: its namespace, veth pair, address and files.</summary>
public sealed record LabHostPlan(
    int Index,
    string Namespace,
    string HostVeth,
    string PeerVeth,
    IPAddress Address,
    int Port,
    string DataDirectory,
    string LogFile)
{
    /// <summary><c>host-N</c>: the role name in the state file, logs and output.</summary>
    public string Name => $"host-{Index}";

    /// <summary>The agent's <c>--listen</c>.</summary>
    public string Listen => $"{Address}:{Port}";

    public Uri Url => new($"https://{Listen}");
}
