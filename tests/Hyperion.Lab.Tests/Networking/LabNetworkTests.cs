using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Networking;
using Hyperion.Lab.Tests.Planning;

namespace Hyperion.Lab.Tests.Networking;

public sealed class LabNetworkTests
{
    private const string Addresses = """
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\       valid_lft forever preferred_lft forever
        9: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\       valid_lft forever preferred_lft forever

        """;

    private const string Routes = """
        default via 192.0.2.1 dev eth0
        192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
        10.8.0.0/16 via 192.0.2.9 dev eth0
        203.0.113.7 dev tun0 scope link

        """;

    [Fact]
    public async Task CreateBridgeAndConnect_Plan_RunsExactlyTheseIpCommands()
    {
        var runner = new RecordingRunner();
        var network = new LabNetwork(runner, TimeProvider.System);

        await network.CreateBridgeAsync("hyplab-br", "10.99.0.1/24", CancellationToken.None);
        await network.CreateNamespaceAsync("hyplab-1", CancellationToken.None);
        await network.ConnectNamespaceAsync("hyplab-1", "hyplab-v1", "hyplab-p1", "hyplab-br", "10.99.0.11/24", CancellationToken.None);

        Assert.Equal(
            [
                "ip link add hyplab-br type bridge",
                "ip addr add 10.99.0.1/24 dev hyplab-br",
                "ip link set hyplab-br up",
                "ip netns add hyplab-1",
                "ip link add hyplab-v1 type veth peer name hyplab-p1",
                "ip link set hyplab-p1 netns hyplab-1",
                "ip link set hyplab-v1 master hyplab-br",
                "ip link set hyplab-v1 up",
                "ip -n hyplab-1 addr add 10.99.0.11/24 dev hyplab-p1",
                "ip -n hyplab-1 link set hyplab-p1 up",
                "ip -n hyplab-1 link set lo up",
            ],
            runner.Commands);
    }

    [Fact]
    public async Task CreateNamespace_IpFails_LabExceptionWithCommandAndError()
    {
        var runner = new RecordingRunner();
        runner.Answers["ip netns add hyplab-1"] = new ProcessResult(1, string.Empty, "Cannot create namespace file \"/run/netns/hyplab-1\": File exists\n", TimeSpan.Zero);

        var ex = await Assert.ThrowsAsync<LabException>(() => new LabNetwork(runner, TimeProvider.System).CreateNamespaceAsync("hyplab-1", CancellationToken.None));

        Assert.Equal("ip netns add hyplab-1: Cannot create namespace file \"/run/netns/hyplab-1\": File exists", ex.Message);
    }

    [Fact]
    public async Task DeleteNamespace_Absent_RunsNothingButTheList()
    {
        var runner = new RecordingRunner();
        runner.Answers["ip netns list"] = new ProcessResult(0, "other (id: 3)\nhyplab-2\n", string.Empty, TimeSpan.Zero);
        var network = new LabNetwork(runner, TimeProvider.System);

        await network.DeleteNamespaceAsync("hyplab-1", CancellationToken.None);
        await network.DeleteNamespaceAsync("hyplab-2", CancellationToken.None);

        Assert.Equal(["ip netns list", "ip netns list", "ip netns del hyplab-2"], runner.Commands);
    }

    [Theory]
    [InlineData("10.99.0.0/24", null)]
    [InlineData("192.0.2.0/25", "overlaps 192.0.2.0/24 of eth0")]
    [InlineData("172.17.5.0/24", "overlaps 172.17.0.0/16 of docker0")]
    [InlineData("10.8.3.0/24", "overlaps the route '10.8.0.0/16 via 192.0.2.9 dev eth0'")]
    [InlineData("203.0.113.0/24", "overlaps the route '203.0.113.7 dev tun0 scope link'")]
    public async Task FindSubnetConflict_AddressesAndRoutes_DefaultRouteIgnored(string subnet, string? conflict)
    {
        var runner = new RecordingRunner();
        runner.Answers["ip -4 -o addr show"] = new ProcessResult(0, Addresses, string.Empty, TimeSpan.Zero);
        runner.Answers["ip -4 -o route show"] = new ProcessResult(0, Routes, string.Empty, TimeSpan.Zero);
        var parsed = Subnets.Parse(subnet);

        var found = await new LabNetwork(runner, TimeProvider.System).FindSubnetConflictAsync(parsed, CancellationToken.None);

        if (conflict is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(conflict, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParsePids_IpNetnsPids_NumbersOnly()
    {
        Assert.Equal([12, 345], LabNetwork.ParsePids("12\n345\n\nx\n"));
    }

    [Fact]
    public async Task FaultCommands_LinkAndRoutes_RunExactlyTheseIpCommands()
    {
        var runner = new RecordingRunner();
        var network = new LabNetwork(runner, TimeProvider.System);

        await network.SetLinkStateAsync("hyplab-2", "hyplab-p2", up: false, CancellationToken.None);
        await network.SetLinkStateAsync("hyplab-2", "hyplab-p2", up: true, CancellationToken.None);
        await network.AddBlackholeRouteAsync("hyplab-1", "10.99.0.12/32", CancellationToken.None);
        await network.DeleteBlackholeRouteAsync("hyplab-1", "10.99.0.12/32", CancellationToken.None);
        await network.ListNamespacePidsAsync("hyplab-2", CancellationToken.None);

        Assert.Equal(
            [
                "ip -n hyplab-2 link set hyplab-p2 down",
                "ip -n hyplab-2 link set hyplab-p2 up",
                "ip -n hyplab-1 route replace blackhole 10.99.0.12/32",
                "ip -n hyplab-1 route del blackhole 10.99.0.12/32",
                "ip netns pids hyplab-2",
            ],
            runner.Commands);
    }

    [Fact]
    public void ParseNamespaces_WithIds_NamesOnly()
    {
        Assert.Equal(["a", "hyplab-1"], LabNetwork.ParseNamespaces("a (id: 0)\nhyplab-1\n\n"));
    }
}
