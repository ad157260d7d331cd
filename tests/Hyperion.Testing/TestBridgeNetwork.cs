using System.Globalization;

namespace Hyperion.Testing;

/// <summary>
/// A throw-away L2 network for VM NICs: a host bridge (no address in the host's namespace) plus a network namespace
/// attached to it through a veth pair, holding <see cref="PeerAddress"/>. Traffic only ever flows between that
/// namespace and the VMs on the bridge. Disposal removes namespace, veth and bridge.
/// </summary>
public sealed class TestBridgeNetwork : IDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private TestBridgeNetwork(int subnet)
    {
        Subnet = subnet;
    }

    public string Bridge => $"hyb{_suffix}";

    public string Namespace => $"hyns{_suffix}";

    public int Subnet { get; }

    /// <summary>The namespace's address, e.g. 10.213.7.1.</summary>
    public string PeerAddress => $"10.213.{Subnet}.1";

    /// <summary>An address for a guest on this network.</summary>
    public string GuestAddress(int host) => $"10.213.{Subnet}.{host.ToString(CultureInfo.InvariantCulture)}";

    private string HostVeth => $"hyva{_suffix}";

    private string PeerVeth => $"hyvb{_suffix}";

    public static TestBridgeNetwork Create()
    {
        var network = new TestBridgeNetwork(Random.Shared.Next(2, 250));
        try
        {
            NetCommands.Ip("link", "add", network.Bridge, "type", "bridge");
            NetCommands.Ip("link", "set", network.Bridge, "up");
            NetCommands.Ip("netns", "add", network.Namespace);
            NetCommands.Ip("link", "add", network.HostVeth, "type", "veth", "peer", "name", network.PeerVeth);
            NetCommands.Ip("link", "set", network.PeerVeth, "netns", network.Namespace);
            NetCommands.Ip("link", "set", network.HostVeth, "master", network.Bridge);
            NetCommands.Ip("link", "set", network.HostVeth, "up");
            NetCommands.Ip("-n", network.Namespace, "addr", "add", $"{network.PeerAddress}/24", "dev", network.PeerVeth);
            NetCommands.Ip("-n", network.Namespace, "link", "set", network.PeerVeth, "up");
            NetCommands.Ip("-n", network.Namespace, "link", "set", "lo", "up");
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }

    /// <summary>One ping from inside the namespace; true if answered within a second.</summary>
    public bool Ping(string address) => NetCommands.Run("ip", "netns", "exec", Namespace, "ping", "-c", "1", "-W", "1", address).ExitCode == 0;

    public void Dispose()
    {
        // Taps of VMs still attached (a test that failed before powering its VM off): they would outlive the bridge.
        var ports = $"/sys/class/net/{Bridge}/brif";
        if (Directory.Exists(ports))
        {
            foreach (var port in Directory.GetDirectories(ports).Select(Path.GetFileName).Where(p => p != HostVeth))
            {
                NetCommands.Run("ip", "link", "del", port!);
            }
        }

        NetCommands.Run("ip", "netns", "del", Namespace);
        NetCommands.Run("ip", "link", "del", HostVeth);
        NetCommands.Run("ip", "link", "del", Bridge);
    }
}
