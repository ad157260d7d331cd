using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Tests.Commands;

/// <summary>The Center-only verbs: inventory, hosts, users, permissions, tasks, events; and what a host agent says to them.</summary>
public sealed class CenterCommandsTests
{
    [Theory]
    [InlineData("host", "list")]
    [InlineData("host", "add", "10.0.0.5", "--host-password", "pw")]
    [InlineData("host", "remove", "host-3")]
    [InlineData("datacenter", "create", "DC1")]
    [InlineData("datacenter", "list")]
    [InlineData("cluster", "create", "prod")]
    [InlineData("cluster", "list")]
    [InlineData("task", "list")]
    [InlineData("task", "info", "task-9")]
    [InlineData("task", "cancel", "task-9")]
    [InlineData("user", "create", "alice", "--password", "pw")]
    [InlineData("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "/DC1")]
    public async Task CenterVerb_AgainstHostAgent_ExitsOneWithClearError(params string[] args)
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync(args);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("needs a Center, but 127.0.0.1:8443 is a host agent", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task HostInfo_AgainstCenterWithoutHost_UsageError()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("host", "info");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("host list", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostInfo_CenterHostByAddress_ResolvesAndPrints()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/hosts", CenterTestData.Page([CenterTestData.Host()]));
        cli.Http.OnJson(HttpMethod.Get, "/api/hosts/host-3", CenterTestData.Host());

        var run = await cli.RunAsync("host", "info", "10.0.0.5:8443", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("host-3", JsonSerializer.Deserialize<HostDto>(run.Out, JsonDefaults.Options)!.Id);
    }

    [Fact]
    public async Task HostList_Center_PrintsTableAndJson()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/hosts", CenterTestData.Page([CenterTestData.Host()]));

        var table = await cli.RunAsync("host", "list");
        var json = await cli.RunAsync("host", "list", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("connected", table.Out, StringComparison.Ordinal);
        Assert.Contains("prod", table.Out, StringComparison.Ordinal);
        Assert.Equal("host-3", Assert.Single(JsonSerializer.Deserialize<HostDto[]>(json.Out, JsonDefaults.Options)!).Id);
    }

    [Fact]
    public async Task HostRemove_NoContent_Confirms()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.On(HttpMethod.Delete, "/api/hosts/host-3", () => new HttpResponseMessage(HttpStatusCode.NoContent));

        var run = await cli.RunAsync("host", "remove", "host-3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Removed host 'host-3'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostRemove_NoWait_PrintsTaskId()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/hosts", CenterTestData.Page([CenterTestData.Host()]));
        cli.Http.OnJson(HttpMethod.Delete, "/api/hosts/host-3", CenterTestData.Task(description: "HostSystem.remove"), HttpStatusCode.Accepted);

        var run = await cli.RunAsync("host", "remove", "10.0.0.5", "--no-wait");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("task-9", run.Out.Trim());
    }

    [Fact]
    public async Task DatacenterCreate_Created_PrintsIdOrJson()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/datacenters", CenterTestData.Datacenter(), HttpStatusCode.Created);

        var run = await cli.RunAsync("datacenter", "create", "DC1");
        var json = await cli.RunAsync("datacenter", "create", "DC1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Created datacenter 'DC1' (datacenter-2).", run.Out.Trim());
        Assert.Equal("""{"name":"DC1"}""", cli.Http.Requests[0].Body);
        Assert.Equal("datacenter-2", JsonSerializer.Deserialize<DatacenterDto>(json.Out, JsonDefaults.Options)!.Id);
    }

    [Fact]
    public async Task DatacenterCreate_Duplicate_PrintsProblem()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnProblem(HttpMethod.Post, "/api/datacenters", HttpStatusCode.Conflict, new ProblemDto { Status = 409, Detail = "a datacenter named 'DC1' already exists", Code = "inventory.duplicate-name" });

        var run = await cli.RunAsync("datacenter", "create", "DC1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("a datacenter named 'DC1' already exists (inventory.duplicate-name)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatacenterList_Pages_AllPrinted()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/datacenters", CenterTestData.Page([CenterTestData.Datacenter("DC1")], next: "n1"));
        cli.Http.OnJson(HttpMethod.Get, "/api/datacenters?cursor=n1", CenterTestData.Page([CenterTestData.Datacenter("DC2", "datacenter-3")]));

        var run = await cli.RunAsync("datacenter", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("DC1", run.Out, StringComparison.Ordinal);
        Assert.Contains("DC2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterCreate_OnlyDatacenter_UsedByDefault()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/datacenters", CenterTestData.Page([CenterTestData.Datacenter()]));
        cli.Http.OnJson(HttpMethod.Post, "/api/clusters", CenterTestData.Cluster(), HttpStatusCode.Created);

        var run = await cli.RunAsync("cluster", "create", "prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"name":"prod","datacenter":"datacenter-2"}""", cli.Http.Requests.Single(r => r.Method == HttpMethod.Post).Body);
        Assert.Contains("Created cluster 'prod' (domain-c7)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterCreate_DatacenterGiven_NoLookup()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/clusters", CenterTestData.Cluster(), HttpStatusCode.Created);

        var run = await cli.RunAsync("cluster", "create", "prod", "--datacenter", "DC1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"name":"prod","datacenter":"DC1"}""", Assert.Single(cli.Http.Requests).Body);
        Assert.Equal("domain-c7", JsonSerializer.Deserialize<ClusterDto>(run.Out, JsonDefaults.Options)!.Id);
    }

    [Fact]
    public async Task UserCreate_PasswordAfterVerb_IsTheNewUsers()
    {
        var cli = new CliHarness().AsCenter();
        cli.Environment["HYPERION_PASSWORD"] = "admin-pw";
        cli.Http.OnJson(HttpMethod.Post, "/api/users", new UserDto("alice", DateTimeOffset.UnixEpoch), HttpStatusCode.Created);

        var run = await cli.RunAsync("--user", "administrator", "user", "create", "alice", "--password", "alice-pw");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal("""{"name":"alice","password":"alice-pw"}""", request.Body);
        Assert.Equal("Basic " + Convert.ToBase64String("administrator:admin-pw"u8.ToArray()), request.Authorization);
        Assert.Equal("Created user 'alice'.", run.Out.Trim());
    }

    [Fact]
    public async Task UserCreate_NoPasswordAtTerminal_Asks()
    {
        var cli = new CliHarness { Prompt = (question, secret) => secret && question.Contains("alice", StringComparison.Ordinal) ? "typed" : null }.AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/users", new UserDto("alice", DateTimeOffset.UnixEpoch), HttpStatusCode.Created);

        var run = await cli.RunAsync("user", "create", "alice");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"name":"alice","password":"typed"}""", Assert.Single(cli.Http.Requests).Body);
    }

    [Fact]
    public async Task UserCreate_NoPasswordNoTerminal_UsageError()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("user", "create", "alice");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task PermissionAdd_Path_ResolvedThenGranted()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/inventory/resolve?path=%2FDC1%2Fhost%2Fprod", new InventoryObjectDto("domain-c7", "prod", "cluster", "/DC1/host/prod"));
        cli.Http.OnJson(HttpMethod.Post, "/api/permissions", new PermissionDto("alice", "Read-only", "domain-c7", true), HttpStatusCode.Created);

        var run = await cli.RunAsync("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "/DC1/host/prod");

        Assert.True(run.ExitCode == 0, run.ToString());
        var body = JsonSerializer.Deserialize<PermissionCreateRequest>(cli.Http.Requests[1].Body!, JsonDefaults.Options)!;
        Assert.Equal(new PermissionCreateRequest("alice", "Read-only", "domain-c7", true), body);
        Assert.Equal("Granted role 'Read-only' to user 'alice' on /DC1/host/prod (domain-c7), and what it contains.", run.Out.Trim());
        // --user after the verb is the grantee; the connection's user stays the default.
        Assert.Equal("Basic " + Convert.ToBase64String("root:"u8.ToArray()), cli.Http.Requests[1].Authorization);
    }

    [Fact]
    public async Task PermissionAdd_IdNoPropagate_SentAsIs()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/permissions", new PermissionDto("alice", "VM operator", "vm-42", false), HttpStatusCode.Created);

        var run = await cli.RunAsync("permission", "add", "--user", "alice", "--role", "VM operator", "--object", "vm-42", "--no-propagate", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(JsonSerializer.Deserialize<PermissionCreateRequest>(Assert.Single(cli.Http.Requests).Body!, JsonDefaults.Options)!.Propagate);
        Assert.Equal("vm-42", JsonSerializer.Deserialize<PermissionDto>(run.Out, JsonDefaults.Options)!.Object);
    }

    [Fact]
    public async Task PermissionAdd_PathNotFound_ExitsOne()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnProblem(HttpMethod.Get, "/api/inventory/resolve?path=%2FNope", HttpStatusCode.NotFound, new ProblemDto { Status = 404, Detail = "nothing at inventory path '/Nope'", Code = "inventory.not-found" });

        var run = await cli.RunAsync("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "/Nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("inventory.not-found", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Http.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task PermissionAdd_NeitherPathNorId_UsageError()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("permission", "add", "--user", "alice", "--role", "Read-only", "--object", "DC1");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task TaskList_FiltersAndLimit_SentAndPaged()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks?state=error&limit=3", CenterTestData.Page([CenterTestData.Task("error", id: "task-1"), CenterTestData.Task("error", id: "task-2")], next: "k"));
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks?state=error&limit=1&cursor=k", CenterTestData.Page([CenterTestData.Task("error", id: "task-3")], next: "k2"));

        var run = await cli.RunAsync("task", "list", "--state", "error", "--limit", "3", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["task-1", "task-2", "task-3"], JsonSerializer.Deserialize<TaskDto[]>(run.Out, JsonDefaults.Options)!.Select(t => t.Id));
        Assert.Equal(2, cli.Http.Requests.Count);
    }

    [Fact]
    public async Task TaskList_Human_PrintsTable()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks", CenterTestData.Page([CenterTestData.Task("running", 40)]));

        var run = await cli.RunAsync("task", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("VirtualMachine.powerOn", run.Out, StringComparison.Ordinal);
        Assert.Contains("40%", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaskInfo_Failed_ShowsError()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("error", 30, error: new ProblemErrorDto("host.not-connected", "host-3 is not connected", null)));

        var run = await cli.RunAsync("task", "info", "task-9");
        var json = await cli.RunAsync("task", "info", "task-9", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("host-3 is not connected (host.not-connected)", run.Out, StringComparison.Ordinal);
        Assert.Equal("error", JsonSerializer.Deserialize<TaskDto>(json.Out, JsonDefaults.Options)!.State);
    }

    [Fact]
    public async Task TaskCancel_Posts()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/tasks/task-9/cancel", CenterTestData.Task("running") with { CancelRequested = true });

        var run = await cli.RunAsync("task", "cancel", "task-9");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Cancellation requested for task-9", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventList_CenterObjectFilter_SentAsQuery()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/events?object=web01&type=vm.powered-on", CenterTestData.Page([CenterTestData.Event(7, "vm.powered-on", "web01")]));

        var run = await cli.RunAsync("event", "list", "--object", "web01", "--type", "vm.powered-on", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(7, Assert.Single(JsonSerializer.Deserialize<CenterEventDto[]>(run.Out, JsonDefaults.Options)!).Id);
    }

    [Fact]
    public async Task EventList_CenterSinceAndLimit_Human()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/events?from=2026-01-31T12%3A00%3A00.0000000%2B00%3A00&limit=5", CenterTestData.Page([CenterTestData.Event(1), CenterTestData.Event(2)]));

        var run = await cli.RunAsync("events", "list", "--since", "2026-01-31T12:00:00Z", "--limit", "5");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("host.added", run.Out, StringComparison.Ordinal);
        Assert.Contains("administrator", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventList_FollowOnCenter_ExitsOne()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("event", "list", "--follow");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task EventList_HostObjectFilter_AppliedToHostEvents()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/events", new[] { TestData.Event(1), TestData.Event(2) with { VmName = "db" } });

        var run = await cli.RunAsync("event", "list", "--object", "db", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, Assert.Single(JsonSerializer.Deserialize<Contracts.Events.EventDto[]>(run.Out, JsonDefaults.Options)!).Id);
    }
}
