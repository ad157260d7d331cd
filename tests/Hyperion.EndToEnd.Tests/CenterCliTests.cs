using System.Text.Json;
using Hyperion.Cli;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The CLI against a real Center with one real host agent (TCG, simulated driver): the same verbs as against a host,
/// plus the Center's inventory, host confirmation, users, permissions, tasks and events, each through the CLI only.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterCliTests
{
    [Fact]
    public async Task Verbs_AgainstRealCenter_BuildInventoryAddHostGrantAndRunVm()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync("--host-monitor-interval", "0.5");
        var admin = new InProcessCli(center.BaseAddress, center.Fingerprint, CenterProcess.AdminUser, CenterProcess.AdminPassword);
        var hostAddress = $"127.0.0.1:{agent.Port}";

        var datacenter = await admin.OkAsync("datacenter", "create", "DC1");
        Assert.Matches("^Created datacenter 'DC1' \\(datacenter-[0-9]+\\)\\.$", datacenter.Out.Trim());
        var cluster = JsonSerializer.Deserialize<ClusterDto>((await admin.OkAsync("cluster", "create", "prod", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal("prod", cluster.Name);

        // Unconfirmed: the CLI shows the host's fingerprint ssh-style and adds nothing.
        var unconfirmed = await admin.RunAsync("host", "add", hostAddress, "--cluster", "prod", "--host-password", HostAgentProcess.Password);
        Assert.True(unconfirmed.ExitCode == 1, unconfirmed.ToString());
        Assert.Contains($"fingerprint is {agent.Fingerprint}; re-run with --fingerprint {agent.Fingerprint}", unconfirmed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(JsonSerializer.Deserialize<HostDto[]>((await admin.OkAsync("host", "list", "--json")).Out, JsonDefaults.Options)!);

        var added = JsonSerializer.Deserialize<HostDto>(
            (await admin.OkAsync("host", "add", hostAddress, "--cluster", "prod", "--host-password", HostAgentProcess.Password, "--fingerprint", agent.Fingerprint, "--json")).Out,
            JsonDefaults.Options)!;
        Assert.Equal("connected", added.ConnectionState);
        Assert.Equal("prod", added.Cluster);
        var hosts = await admin.OkAsync("host", "list");
        Assert.Contains(added.Id, hosts.Out, StringComparison.Ordinal);
        Assert.Contains("connected", hosts.Out, StringComparison.Ordinal);

        // A user with Read-only on the cluster (found by its inventory path) sees the host and nothing else.
        await admin.OkAsync("user", "create", "alice", "--password", "alice-password");
        var granted = await admin.OkAsync("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "/DC1/host/prod");
        Assert.Contains($"on /DC1/host/prod ({cluster.Id})", granted.Out, StringComparison.Ordinal);
        var missing = await admin.RunAsync("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "/DC1/host/nope");
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("inventory.not-found", missing.Error, StringComparison.Ordinal);
        var alice = admin with { User = "alice", Password = "alice-password" };
        Assert.Equal([added.Id], JsonSerializer.Deserialize<HostDto[]>((await alice.OkAsync("host", "list", "--json")).Out, JsonDefaults.Options)!.Select(h => h.Id));
        Assert.Empty(JsonSerializer.Deserialize<DatacenterDto[]>((await alice.OkAsync("datacenter", "list", "--json")).Out, JsonDefaults.Options)!);
        var forbidden = await alice.RunAsync("datacenter", "create", "DC2");
        Assert.True(forbidden.ExitCode == 1, forbidden.ToString());
        Assert.Contains("auth.forbidden", forbidden.Error, StringComparison.Ordinal);

        // A VM through the Center: create and power on (two tasks), list, power off, delete.
        var created = JsonSerializer.Deserialize<CenterVmDto>(
            (await admin.OkAsync("vm", "create", "web-1", "--cpus", "1", "--memory", "128", "--image", "tiny", "--cluster", "prod", "--power-on", "--json")).Out,
            JsonDefaults.Options)!;
        Assert.Equal(("poweredOn", added.Id), (created.PowerState, created.HostId));
        Assert.Contains("web-1", (await admin.OkAsync("vm", "list")).Out, StringComparison.Ordinal);
        var off = await admin.OkAsync("vm", "power-off", "web-1");
        Assert.Equal("VM 'web-1' is poweredOff.", off.Out.Trim());
        var taskId = (await admin.OkAsync("vm", "power-on", created.Id, "--no-wait")).Out.Trim();
        Assert.Matches("^task-[0-9]+$", taskId);
        await Eventually.GetAsync(
            async () => JsonSerializer.Deserialize<TaskDto>((await admin.OkAsync("task", "info", taskId, "--json")).Out, JsonDefaults.Options)!.State,
            state => state == "success",
            TimeSpan.FromSeconds(30),
            "the power-on task started with --no-wait to succeed");
        await admin.OkAsync("vm", "power-off", created.Id);
        Assert.Equal("Deleted VM 'web-1'.", (await admin.OkAsync("vm", "delete", "web-1")).Out.Trim());

        // Tasks and events record all of it.
        var tasks = JsonSerializer.Deserialize<TaskDto[]>((await admin.OkAsync("task", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Contains(tasks, t => t.Id == taskId && t.State == "success");
        Assert.All(tasks, t => Assert.Equal(CenterProcess.AdminUser, t.Initiator));
        var events = JsonSerializer.Deserialize<CenterEventDto[]>((await admin.OkAsync("event", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Contains(events, e => e.Type == CenterEventTypes.DatacenterCreated && e.ObjectName == "DC1");
        Assert.Contains(events, e => e.Type == CenterEventTypes.HostAdded);
        var aboutCluster = JsonSerializer.Deserialize<CenterEventDto[]>((await admin.OkAsync("event", "list", "--object", "prod", "--json")).Out, JsonDefaults.Options)!;
        Assert.NotEmpty(aboutCluster);
        Assert.All(aboutCluster, e => Assert.Equal("prod", e.ObjectName));
        Assert.Contains("datacenter.created", (await admin.OkAsync("event", "list", "--limit", "100")).Out, StringComparison.Ordinal);

        await admin.OkAsync("host", "remove", added.Id);
        Assert.Empty(JsonSerializer.Deserialize<HostDto[]>((await admin.OkAsync("host", "list", "--json")).Out, JsonDefaults.Options)!);
    }

    [Fact]
    public async Task Verbs_WrongKindOfServer_ClearErrorExitOne()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        await using var center = await CenterProcess.StartAsync();
        var onHost = new InProcessCli(agent.BaseAddress, agent.Fingerprint, "root", HostAgentProcess.Password);
        var onCenter = new InProcessCli(center.BaseAddress, center.Fingerprint, CenterProcess.AdminUser, CenterProcess.AdminPassword);

        var datacenterOnHost = await onHost.RunAsync("datacenter", "create", "DC1");
        var registerOnCenter = await onCenter.RunAsync("vm", "register", "web", "--datastore", "local");

        Assert.True(datacenterOnHost.ExitCode == 1, datacenterOnHost.ToString());
        Assert.Contains("needs a Center", datacenterOnHost.Error, StringComparison.Ordinal);
        Assert.True(registerOnCenter.ExitCode == 1, registerOnCenter.ToString());
        Assert.Contains("is a Center", registerOnCenter.Error, StringComparison.Ordinal);
        using var anonymousHost = HostAgentProcess.CreateHttpClient(agent.BaseAddress, agent.Fingerprint, null, null);
        using var anonymousCenter = HostAgentProcess.CreateHttpClient(center.BaseAddress, center.Fingerprint, null, null);
        Assert.Equal(new HealthDto("ok", "host"), JsonSerializer.Deserialize<HealthDto>(await anonymousHost.GetStringAsync(new Uri("/api/health", UriKind.Relative)), JsonDefaults.Options));
        Assert.Equal(new HealthDto("ok", "center"), JsonSerializer.Deserialize<HealthDto>(await anonymousCenter.GetStringAsync(new Uri("/api/health", UriKind.Relative)), JsonDefaults.Options));
    }
}
