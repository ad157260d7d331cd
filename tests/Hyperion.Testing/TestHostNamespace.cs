using System.Globalization;

namespace Hyperion.Testing;

/// <summary>
/// A network namespace standing for a second machine: a veth pair links it to the machine's own namespace
/// (<see cref="Gateway"/> here, <see cref="Address"/> there, a /24 of 10.214.x.0). <see cref="Cut"/> takes the far end
/// down, as a pulled cable: packets from this side are dropped silently (no reset, no "unreachable"), the far side
/// loses its route; <see cref="Heal"/> brings it back. Disposal removes namespace and veth.
/// </summary>
public sealed class TestHostNamespace : IDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

    private TestHostNamespace(int subnet)
    {
        Subnet = subnet;
    }

    public string Name => $"hyhn{_suffix}";

    public int Subnet { get; }

    /// <summary>The namespace's address, e.g. 10.214.7.2.</summary>
    public string Address => $"10.214.{Subnet.ToString(CultureInfo.InvariantCulture)}.2";

    /// <summary>This side's address on the link, e.g. 10.214.7.1.</summary>
    public string Gateway => $"10.214.{Subnet.ToString(CultureInfo.InvariantCulture)}.1";

    private string NearVeth => $"hyna{_suffix}";

    private string FarVeth => $"hynb{_suffix}";

    public static TestHostNamespace Create()
    {
        var ns = new TestHostNamespace(Random.Shared.Next(2, 250));
        try
        {
            NetCommands.Ip("netns", "add", ns.Name);
            NetCommands.Ip("link", "add", ns.NearVeth, "type", "veth", "peer", "name", ns.FarVeth);
            NetCommands.Ip("link", "set", ns.FarVeth, "netns", ns.Name);
            NetCommands.Ip("addr", "add", $"{ns.Gateway}/24", "dev", ns.NearVeth);
            NetCommands.Ip("link", "set", ns.NearVeth, "up");
            NetCommands.Ip("-n", ns.Name, "addr", "add", $"{ns.Address}/24", "dev", ns.FarVeth);
            NetCommands.Ip("-n", ns.Name, "link", "set", ns.FarVeth, "up");
            NetCommands.Ip("-n", ns.Name, "link", "set", "lo", "up");
            NetCommands.Ip("-n", ns.Name, "route", "add", "default", "via", ns.Gateway);
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>The link goes dead: this side keeps its route and sends into the void.</summary>
    public void Cut() => NetCommands.Ip("-n", Name, "link", "set", FarVeth, "down");

    public void Heal() => NetCommands.Ip("-n", Name, "link", "set", FarVeth, "up");

    public void Dispose()
    {
        NetCommands.Run("ip", "netns", "del", Name);
        NetCommands.Run("ip", "link", "del", NearVeth);
    }
}
