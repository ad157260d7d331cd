using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;

namespace Hyperion.Cli.Tests.Commands;

/// <summary><c>cluster ha enable|disable|status</c> and <c>vm ha</c>.</summary>
public sealed class HaCommandsTests
{
    private static readonly ClusterHaDto Enabled = new(true, 1, HaIsolationResponses.Shutdown, false, ["nfs1", "nfs2"]);

    [Fact]
    public async Task ClusterHaEnable_Options_SendsSettingsAndPrintsThem()
    {
        var cli = ClusterCli();
        cli.Http.OnJson(HttpMethod.Put, "/api/clusters/domain-c7/ha", CenterTestData.Cluster() with { Ha = Enabled });

        var run = await cli.RunAsync("cluster", "ha", "enable", "prod", "--host-failures-tolerated", "1", "--isolation-response", "shutdown", "--vm-monitoring", "off", "--heartbeat-datastore", "nfs1", "--heartbeat-datastore", "nfs2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<ClusterHaRequest>(cli.Http.Requests.Single(r => r.Method == HttpMethod.Put).Body!, JsonDefaults.Options)!;
        Assert.Equal((true, 1, "shutdown", false), (request.Enabled, request.HostFailuresTolerated, request.IsolationResponse, request.VmMonitoring));
        Assert.Equal(["nfs1", "nfs2"], request.HeartbeatDatastores);
        Assert.Contains("HA enabled on cluster 'prod': 1 host failure(s) tolerated, isolation response shutdown, VM monitoring off, heartbeat datastores nfs1, nfs2.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterHaEnable_NoOptions_LeavesDefaultsToTheCenter()
    {
        var cli = ClusterCli();
        cli.Http.OnJson(HttpMethod.Put, "/api/clusters/domain-c7/ha", CenterTestData.Cluster() with { Ha = Enabled });

        var run = await cli.RunAsync("cluster", "ha", "enable", "domain-c7", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<ClusterHaRequest>(cli.Http.Requests.Single(r => r.Method == HttpMethod.Put).Body!, JsonDefaults.Options)!;
        Assert.Equal(new ClusterHaRequest(true), request);
        Assert.True(JsonSerializer.Deserialize<ClusterDto>(run.Out, JsonDefaults.Options)!.Ha!.Enabled);
    }

    [Fact]
    public async Task ClusterHaEnable_HostRefuses_PrintsProblemExitsOne()
    {
        var cli = ClusterCli();
        cli.Http.OnProblem(HttpMethod.Put, "/api/clusters/domain-c7/ha", HttpStatusCode.Conflict, new ProblemDto
        {
            Status = 409,
            Code = ErrorCodesForTests.HaNotConfigured,
            Detail = "cannot enable HA on cluster prod: host 10.0.0.6 (host-4) refused: host 10.0.0.6: HA needs etcd; nothing was changed",
        });

        var run = await cli.RunAsync("cluster", "ha", "enable", "prod");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("host 10.0.0.6 (host-4) refused", run.Error, StringComparison.Ordinal);
        Assert.Contains("ha.not-configured", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterHaEnable_UnknownIsolationResponse_UsageErrorNothingSent()
    {
        var cli = ClusterCli();

        var run = await cli.RunAsync("cluster", "ha", "enable", "prod", "--isolation-response", "reboot");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task ClusterHaDisable_SendsEnabledFalse()
    {
        var cli = ClusterCli();
        cli.Http.OnJson(HttpMethod.Put, "/api/clusters/domain-c7/ha", CenterTestData.Cluster() with { Ha = Enabled with { Enabled = false } });

        var run = await cli.RunAsync("cluster", "ha", "disable", "prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new ClusterHaRequest(false), JsonSerializer.Deserialize<ClusterHaRequest>(cli.Http.Requests.Single(r => r.Method == HttpMethod.Put).Body!, JsonDefaults.Options));
        Assert.Contains("HA disabled on cluster 'prod'.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterHaStatus_PrintsMasterHostsVmsAndAdmission()
    {
        var cli = ClusterCli();
        cli.Http.OnJson(HttpMethod.Get, "/api/clusters/domain-c7/ha", new ClusterHaStatusDto
        {
            ClusterId = "domain-c7",
            ClusterName = "prod",
            Settings = Enabled,
            MasterHostId = "host-3",
            Hosts =
            [
                new HaHostDto("host-3", "10.0.0.5", HaHostStates.Master, true, true, 800, 6144, 1),
                new HaHostDto("host-4", "10.0.0.6", HaHostStates.Failed, false, false, null, 0, 0),
            ],
            Vms = [new HaVmDto(Guid.NewGuid().ToString(), "web01", "host-3", "host-3", HaRestartPriorities.High, HaVmProtectionStates.Protected, 512, null)],
            Admission = new HaAdmissionDto(1, 16384, 8192, 512, 7680),
        });

        var run = await cli.RunAsync("cluster", "ha", "status", "prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("HA enabled", run.Out, StringComparison.Ordinal);
        Assert.Contains("Master: 10.0.0.5 (host-3)", run.Out, StringComparison.Ordinal);
        Assert.Contains("master (master)", run.Out, StringComparison.Ordinal);
        Assert.Contains("failed", run.Out, StringComparison.Ordinal);
        Assert.Contains("800 ms", run.Out, StringComparison.Ordinal);
        Assert.Contains("web01", run.Out, StringComparison.Ordinal);
        Assert.Contains("protected", run.Out, StringComparison.Ordinal);
        Assert.Contains("Admission control (1 host failure(s)): total 16", run.Out, StringComparison.Ordinal);
        Assert.Contains("available 7", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterHaStatus_AgainstHostAgent_NeedsCenter()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("cluster", "ha", "status", "prod");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("needs a Center", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VmHa_Center_ResolvesNameAndRelays()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?name=web01", CenterTestData.Page([CenterTestData.Vm()]));
        cli.Http.OnJson(HttpMethod.Put, "/api/vms/vm-5/ha", CenterTestData.Vm() with { RestartPriority = HaRestartPriorities.High });

        var run = await cli.RunAsync("vm", "ha", "web01", "--restart-priority", "high", "--monitoring", "off");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new VmHaRequest("high", false), JsonSerializer.Deserialize<VmHaRequest>(cli.Http.Requests.Single(r => r.Method == HttpMethod.Put).Body!, JsonDefaults.Options));
        Assert.Contains("HA restart priority", run.Out, StringComparison.Ordinal);
        Assert.Contains("high", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VmHa_Host_CallsTheHostsEndpoint()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Put, "/api/vms/web01/ha", TestData.Vm() with { RestartPriority = HaRestartPriorities.Disabled });

        var run = await cli.RunAsync("vm", "ha", "web01", "--restart-priority", "disabled");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("restart priority disabled", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VmHa_NothingToChange_UsageError()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("vm", "ha", "web01");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    private static CliHarness ClusterCli()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/clusters", CenterTestData.Page([CenterTestData.Cluster()]));
        return cli;
    }

    /// <summary>The CLI tests do not reference the Domain; the wire code is a string.</summary>
    private static class ErrorCodesForTests
    {
        public const string HaNotConfigured = "ha.not-configured";
    }
}
