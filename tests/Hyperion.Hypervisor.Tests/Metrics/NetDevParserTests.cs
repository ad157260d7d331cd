using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class NetDevParserTests
{
    private const string NetDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 54206378  165970    0    0    0     0          0         0 54206378  165970    0    0    0     0       0          0
          eth0: 225906398    5202    0    0    0     0          0         0   276438    3115    0    0    0     0       0          0
        br0:1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0
        h0ab01234567n0:     300       3    0    0    0     0          0         0      400       4    0    0    0     0       0          0
        """;

    [Fact]
    public void Parse_EveryInterface_ReceiveAndTransmitBytes()
    {
        var devices = NetDevParser.Parse(NetDev);

        Assert.Equal(
            [
                new NetDevCounters("lo", 54206378, 54206378),
                new NetDevCounters("eth0", 225906398, 276438),
                new NetDevCounters("br0", 1000, 2000),
                new NetDevCounters("h0ab01234567n0", 300, 400),
            ],
            devices);
    }

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("lo", false)]
    [InlineData("br0", false)]
    [InlineData("h0ab01234567n0", false)]
    [InlineData("h0ab01234567n12", false)]
    [InlineData("hyperion0", true)]
    public void CountsForHost_Interface_NotLoopbackBridgeOrVmTap(string name, bool expected) =>
        Assert.Equal(expected, HostResourceReader.CountsForHost(name, n => n == "br0"));
}
