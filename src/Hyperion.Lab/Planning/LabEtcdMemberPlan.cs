using System.Globalization;
using System.Net;

namespace Hyperion.Lab.Planning;

/// <summary>
/// One etcd member of a lab: <c>host-N</c> runs in host N's namespace on its address; the <c>witness</c>
/// (<see cref="Namespace"/> null) runs in the root namespace on the bridge address, only to make the member count odd.
/// </summary>
public sealed record LabEtcdMemberPlan(string Name, string? Namespace, IPAddress Address, int ClientPort, int PeerPort, string DataDirectory, string LogFile)
{
    public const string WitnessName = "witness";

    public bool IsWitness => Namespace is null;

    /// <summary><c>etcd-host-N</c> or <c>etcd-witness</c>: the role of its process in the state file.</summary>
    public string Role => LabPaths.EtcdRole(Name);

    public Uri ClientUrl => new($"http://{Address}:{ClientPort.ToString(CultureInfo.InvariantCulture)}");

    public Uri PeerUrl => new($"http://{Address}:{PeerPort.ToString(CultureInfo.InvariantCulture)}");
}
