using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Host management through the real Center and a real host agent (simulated driver, no QEMU): fingerprint
/// confirmation, credentials, VM import, convergence, heartbeat loss and recovery, removal.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddHost_ConfirmedFingerprint_ImportsConvergesMonitorsAndRemoves()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5", "--host-grace", "2");
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("dc-hosts"))).As<DatacenterDto>(HttpStatusCode.Created);
        await agent.Api.CreateTinyAsync("before-1");
        await agent.Api.PowerOkAsync("before-1", "power-on");
        await agent.Api.CreateTinyAsync("before-2");
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);

        var unconfirmed = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, null, null, datacenter.Name));
        var otherFingerprint = string.Join(':', Enumerable.Repeat("00", 32));
        var wrongFingerprint = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, otherFingerprint, null, datacenter.Id));
        var wrongPassword = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", "wrong", agent.Fingerprint, null, datacenter.Id));
        Assert.Empty((await admin.SendAsync(HttpMethod.Get, "/api/hosts")).As<PageDto<HostDto>>().Items);
        var host = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, null, datacenter.Id)));
        var duplicate = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, null, datacenter.Id));

        Assert.Equal(HttpStatusCode.Conflict, unconfirmed.Status);
        Assert.Equal("host.fingerprint-unconfirmed", unconfirmed.Problem().Code);
        Assert.Contains(agent.Fingerprint, unconfirmed.Problem().Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, wrongFingerprint.Status);
        Assert.Equal("host.fingerprint-unconfirmed", wrongFingerprint.Problem().Code);
        Assert.Contains(agent.Fingerprint, wrongFingerprint.Problem().Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongPassword.Status);
        Assert.Equal("host.auth-failed", wrongPassword.Problem().Code);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("host.duplicate-address", duplicate.Problem().Code);
        Assert.Matches("^host-[0-9]+$", host.Id);
        Assert.Equal("connected", host.ConnectionState);
        Assert.Equal(agent.Fingerprint, host.Fingerprint);
        Assert.Equal(address, host.Address);
        Assert.Equal(2, host.VmCount);
        Assert.Equal(host, (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>() with { LastHeartbeatAt = host.LastHeartbeatAt, ConnectionState = host.ConnectionState });
        var imported = (await admin.SendAsync(HttpMethod.Get, "/api/vms")).As<PageDto<CenterVmDto>>().Items;
        Assert.Equal(["before-1", "before-2"], imported.Select(v => v.Name));
        Assert.All(imported, v => Assert.Matches("^vm-[0-9]+$", v.Id));
        Assert.All(imported, v => Assert.Equal(host.Id, v.HostId));
        Assert.Equal(["poweredOn", "poweredOff"], imported.Select(v => v.PowerState));
        Assert.Equal(datacenter.VmFolderId, imported[0].FolderId);

        // Changes made on the host directly converge into the Center.
        await agent.Api.CreateTinyAsync("made-on-host");
        await agent.Api.PowerOkAsync("made-on-host", "power-on");
        await agent.Api.PowerOkAsync("before-1", "power-off");
        (await agent.Api.SendAsync(HttpMethod.Delete, "/api/vms/before-2")).EnsureStatus(HttpStatusCode.NoContent);
        await Eventually.GetAsync(
            () => ListVmsAsync(admin),
            vms => vms == "before-1:poweredOff made-on-host:poweredOn",
            Timeout,
            "the Center's VM list to converge to the host");

        // Heartbeat lost and regained.
        await agent.KillAsync();
        await Eventually.GetAsync(() => StateAsync(admin, host.Id), s => s == "notResponding", Timeout, "host not responding");
        await agent.RestartAsync();
        await Eventually.GetAsync(() => StateAsync(admin, host.Id), s => s == "connected", Timeout, "host connected again");

        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Delete, $"/api/hosts/{host.Id}"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).Status);
        Assert.Empty((await admin.SendAsync(HttpMethod.Get, "/api/hosts")).As<PageDto<HostDto>>().Items);
        Assert.Empty((await admin.SendAsync(HttpMethod.Get, "/api/vms")).As<PageDto<CenterVmDto>>().Items);
        Assert.Equal(["before-1", "made-on-host"], (await agent.Api.ListVmsAsync()).Select(v => v.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AddHost_NothingListeningOrBadPlacement_RefusedAndNothingCreated()
    {
        await using var center = await CenterProcess.StartAsync();
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("dc-empty"))).As<DatacenterDto>(HttpStatusCode.Created);
        var address = $"https://127.0.0.1:{FreePort.Next()}";
        var fingerprint = string.Join(':', Enumerable.Repeat("AB", 32));

        var withoutFingerprint = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", "pw", null, null, datacenter.Id));
        var withFingerprint = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", "pw", fingerprint, null, datacenter.Id));
        var cluster = (await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest("c1", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);
        var intoCluster = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", "pw", fingerprint, cluster.Name, datacenter.Name));
        var noSuchCluster = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", "pw", fingerprint, "nope", datacenter.Id));
        var badAddress = await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest("http://127.0.0.1:1", "root", "pw", fingerprint, null, datacenter.Id));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, withoutFingerprint.Status);
        Assert.Equal("host.unreachable", withoutFingerprint.Problem().Code);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, withFingerprint.Status);
        Assert.Equal("host.unreachable", withFingerprint.Problem().Code);
        Assert.Equal("host.unreachable", intoCluster.Problem().Code);
        Assert.Equal(HttpStatusCode.NotFound, noSuchCluster.Status);
        Assert.Equal("inventory.not-found", noSuchCluster.Problem().Code);
        Assert.Equal(HttpStatusCode.BadRequest, badAddress.Status);
        Assert.Empty((await admin.SendAsync(HttpMethod.Get, "/api/hosts")).As<PageDto<HostDto>>().Items);
    }

    private static async Task<string> ListVmsAsync(HostApi admin) =>
        string.Join(' ', (await admin.SendAsync(HttpMethod.Get, "/api/vms")).As<PageDto<CenterVmDto>>().Items.Select(v => $"{v.Name}:{v.PowerState}"));

    private static async Task<string> StateAsync(HostApi admin, string hostId) =>
        (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{hostId}")).As<HostDto>().ConnectionState;
}
