using System.Net;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The Center executable on PostgreSQL (Debian's server, started on loopback by the fixture): the same inventory,
/// host and task flow as on SQLite, and committed data surviving a <c>kill -9</c> of the Center.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Category", "Postgres")]
public sealed class CenterPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task CenterOnPostgres_HostVmAndTasks_SurviveKill()
    {
        var connectionString = await postgres.CreateDatabaseAsync(CancellationToken.None);
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--database", "postgres", "--connection-string", connectionString, "--host-monitor-interval", "0.5");
        Assert.Contains("database: postgres", center.Output, StringComparison.Ordinal);
        using var admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("pg-dc"))).As<DatacenterDto>(HttpStatusCode.Created);
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);
        var host = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts", new HostAddRequest(address, "root", HostAgentProcess.Password, agent.Fingerprint, null, datacenter.Id)));
        var vm = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = host.Id, Spec = new VmCreateRequest { Name = "pg-vm" } }));
        var on = await admin.WaitAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        Assert.Equal("success", on.State);

        await center.KillAsync();
        await center.RestartAsync();

        Assert.Equal("connected", (await admin.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}")).As<HostDto>().ConnectionState);
        var after = (await admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(("pg-vm", "poweredOn"), (after.Name, after.PowerState));
        var task = (await admin.SendAsync(HttpMethod.Get, $"/api/tasks/{on.Id}")).As<TaskDto>();
        Assert.Equal(("success", 100), (task.State, task.Progress));
    }
}
