using System.Net;
using Hyperion.Lab.Networking;

namespace Hyperion.Lab.Tests.Networking;

public sealed class ListeningSocketsTests
{
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:094B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
           1: 00000000:094C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
           2: 0B00630A:094B 0C00630A:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 0 10 -1
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:094B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 100 0 0 10 0
        """;

    [Fact]
    public void Parse_ProcNetTcp_ListenersOnly()
    {
        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 2379), new IPEndPoint(IPAddress.Any, 2380)],
            ListeningSockets.Parse(Tcp));
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Any, 2379)], ListeningSockets.Parse(Tcp6));
    }

    [Fact]
    public void Conflicts_LoopbackEtcdDoesNotTakeTheBridgeAddressButAWildcardDoes()
    {
        var bridge = IPAddress.Parse("10.99.0.1");
        var listeners = ListeningSockets.Parse(Tcp);

        Assert.Empty(ListeningSockets.Conflicts(listeners, bridge, 2379));
        Assert.Equal([new IPEndPoint(IPAddress.Any, 2380)], ListeningSockets.Conflicts(listeners, bridge, 2380));
        Assert.Single(ListeningSockets.Conflicts(ListeningSockets.Parse(Tcp6), bridge, 2379));
        Assert.Single(ListeningSockets.Conflicts([new IPEndPoint(bridge, 2379)], bridge, 2379));
    }
}
