using Hyperion.Lab.Etcd;

namespace Hyperion.Lab.Tests.Etcd;

public sealed class EtcdHealthClientTests
{
    [Theory]
    [InlineData("""{"health":"true"}""", true)]
    [InlineData("""{"health":"true","reason":""}""", true)]
    [InlineData("""{"health":"false","reason":"RAFT NO LEADER"}""", false)]
    [InlineData("""{"health":true}""", false)]
    [InlineData("404 page not found", false)]
    [InlineData("", false)]
    public void IsHealthyAnswer_Body_OnlyTheStringTrue(string body, bool healthy)
    {
        Assert.Equal(healthy, EtcdHealthClient.IsHealthyAnswer(body));
    }

    [Fact]
    public void ParseMemberNames_GatewayAnswer_NamesInOrder()
    {
        const string body = """
            {"header":{"cluster_id":"1","member_id":"2","raft_term":"2"},"members":[
              {"ID":"3","name":"host-1","peerURLs":["http://10.99.0.11:2380"],"clientURLs":["http://10.99.0.11:2379"]},
              {"ID":"4","name":"witness","peerURLs":["http://10.99.0.1:2380"],"clientURLs":["http://10.99.0.1:2379"]},
              {"ID":"5","peerURLs":["http://10.99.0.12:2380"]}]}
            """;

        Assert.Equal(["host-1", "witness", ""], EtcdHealthClient.ParseMemberNames(body));
        Assert.Throws<LabException>(() => EtcdHealthClient.ParseMemberNames("""{"error":"x"}"""));
    }

    [Fact]
    public async Task IsHealthyAsync_NobodyListens_False()
    {
        Assert.False(await EtcdHealthClient.IsHealthyAsync("http://127.0.0.1:1", CancellationToken.None));
    }
}
