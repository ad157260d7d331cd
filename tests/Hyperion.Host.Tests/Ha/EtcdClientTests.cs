using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hyperion.Host.Ha.Etcd;

namespace Hyperion.Host.Tests.Ha;

/// <summary>The JSON-gateway client against a real etcd (Debian's etcd-server, installed by tools/install-deps.sh) on loopback.</summary>
[Trait("Category", "Etcd")]
public sealed class EtcdClientTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"hyperion-etcd-{Guid.NewGuid():N}");
    private Process? _etcd;
    private string _url = string.Empty;

    public async Task InitializeAsync()
    {
        var client = FreePort();
        var peer = FreePort();
        _url = $"http://127.0.0.1:{client}";
        var psi = new ProcessStartInfo("/usr/bin/etcd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--name", "t", "--data-dir", _dir, "--listen-client-urls", _url, "--advertise-client-urls", _url,
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"t=http://127.0.0.1:{peer}",
        })
        {
            psi.ArgumentList.Add(arg);
        }

        _etcd = Process.Start(psi)!;
        _etcd.BeginOutputReadLine();
        _etcd.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                if ((await http.GetStringAsync($"{_url}/health")).Contains("true", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "etcd did not become healthy within 20 s");
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        if (_etcd is { HasExited: false })
        {
            _etcd.Kill();
            _etcd.WaitForExit(5000);
        }

        _etcd?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
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
        using var etcd = new EtcdClient([$"http://127.0.0.1:{FreePort()}", _url], TimeSpan.FromSeconds(1));
        var ct = CancellationToken.None;
        await Assert.ThrowsAsync<EtcdUnavailableException>(() => etcd.GrantAsync(5, ct));
        Assert.NotEqual(0, await etcd.GrantAsync(5, ct));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
