using Hyperion.Host.Ha.Etcd;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Ha;

/// <summary>The JSON-gateway client against a real etcd (Debian's etcd-server, installed by tools/install-deps.sh) on loopback.</summary>
[Trait("Category", "Etcd")]
public sealed class EtcdClientTests : IAsyncLifetime
{
    private EtcdProcess? _etcd;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        _etcd = await EtcdProcess.StartAsync();
        _url = _etcd.Url;
    }

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }

    [Fact]
    public async Task Txn_CreateIfAbsent_OnlyTheFirstWins_KeysDieWithTheirLease()
    {
        using var etcd = new EtcdClient([_url], TimeSpan.FromSeconds(2));
        var ct = CancellationToken.None;
        var lease = await etcd.GrantAsync(2, ct);
        Assert.Equal(2, await etcd.KeepAliveAsync(lease, ct));

        var (first, _) = await etcd.CreateAsync("/t/owner", "host-1", lease, ct);
        var (second, existing) = await etcd.CreateAsync("/t/owner", "host-2", 0, ct);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal("host-1", existing!.Value);
        Assert.Equal(lease, existing.Lease);

        Assert.False(await etcd.CompareAndPutAsync("/t/owner", "host-9", "host-2", 0, ct));
        Assert.True(await etcd.CompareAndPutAsync("/t/owner", "host-1", "host-3", lease, ct));
        await etcd.PutAsync("/t/vms/a", "{}", 0, ct);
        await etcd.PutAsync("/tz", "outside the prefix", 0, ct);
        Assert.Equal(["/t/owner", "/t/vms/a"], (await etcd.GetPrefixAsync("/t/", ct)).Select(k => k.Key));
        Assert.False(await etcd.CompareAndDeleteAsync("/t/vms/a", "x", ct));
        Assert.True(await etcd.CompareAndDeleteAsync("/t/vms/a", "{}", ct));

        await etcd.RevokeAsync(lease, ct);
        Assert.Null(await etcd.GetAsync("/t/owner", ct));
        Assert.Equal(0, await etcd.KeepAliveAsync(lease, ct));
    }

    [Fact]
    public async Task Call_FirstEndpointDead_FailsOnce_ThenTheNextEndpointAnswers()
    {
        using var etcd = new EtcdClient([$"http://127.0.0.1:{FreePort.Next()}", _url], TimeSpan.FromSeconds(1));
        var ct = CancellationToken.None;
        await Assert.ThrowsAsync<EtcdUnavailableException>(() => etcd.GrantAsync(5, ct));
        Assert.NotEqual(0, await etcd.GrantAsync(5, ct));
    }
}
