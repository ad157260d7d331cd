using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Cli.Tests.Commands;

/// <summary>The VM verbs against a Center: ids and names, placement, tasks followed to their end.</summary>
public sealed class CenterVmCommandsTests
{
    [Fact]
    public async Task Create_HostAndDatastore_SendsPlacementWaitsAndPrintsResult()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", CenterTestData.Task(description: "VirtualMachine.create"), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("running", 40, description: "VirtualMachine.create"));
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(), description: "VirtualMachine.create"));

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "2", "--memory", "512", "--image", "tiny", "--host", "host-3", "--datastore", "nfs", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<CenterVmCreateRequest>(cli.Http.Requests[0].Body!, JsonDefaults.Options)!;
        Assert.Equal("host-3", request.Host);
        Assert.Null(request.Cluster);
        Assert.Equal("web01", request.Spec!.Name);
        Assert.Equal("nfs", request.Spec.Datastore);
        Assert.Equal("tiny", request.Spec.Image);
        Assert.Equal("vm-5", JsonSerializer.Deserialize<CenterVmDto>(run.Out, JsonDefaults.Options)!.Id);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task Create_FolderPath_ResolvedToId()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/inventory/resolve?path=%2FDC1%2Fvm%2Fweb", new InventoryObjectDto("group-8", "web", "folder", "/DC1/vm/web"));
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", CenterTestData.Vm(), HttpStatusCode.Created);

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--cluster", "prod", "--folder", "/DC1/vm/web");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<CenterVmCreateRequest>(cli.Http.Requests[1].Body!, JsonDefaults.Options)!;
        Assert.Equal("prod", request.Cluster);
        Assert.Equal("group-8", request.Folder);
        Assert.Contains("vm-5", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PowerOn_RunsCreateThenPowerOnTasks()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", CenterTestData.Task(id: "task-1"), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-1", CenterTestData.Task("success", 100, CenterTestData.Vm(), id: "task-1"));
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(id: "task-2"), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-2", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn"), id: "task-2"));

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--host", "host-3", "--power-on", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("poweredOn", JsonSerializer.Deserialize<CenterVmDto>(run.Out, JsonDefaults.Options)!.PowerState);
        Assert.Equal(["/api/vms", "/api/tasks/task-1", "/api/vms/vm-5/power-on", "/api/tasks/task-2"], cli.Http.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Create_NoWait_PrintsTaskIdOnly()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", CenterTestData.Task(), HttpStatusCode.Accepted);

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--host", "host-3", "--no-wait");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("task-9", run.Out.Trim());
        Assert.Single(cli.Http.Requests);
    }

    [Fact]
    public async Task Create_NoWaitWithPowerOn_UsageError()
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--power-on", "--no-wait");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task PowerOn_ByName_ResolvesThroughListAndWaits()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?name=web01", CenterTestData.Page([CenterTestData.Vm()]));
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("running", 50));
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn")));

        var run = await cli.RunAsync("vm", "power-on", "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("VM 'web01' is poweredOn.", run.Out.Trim());
        // Plain progress lines go to stderr when stdout is not a terminal.
        Assert.Contains("task-9 VirtualMachine.powerOn web01: running 50%", run.Error, StringComparison.Ordinal);
        Assert.Contains("task-9 VirtualMachine.powerOn web01: success 100%", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOn_Json_PrintsNoProgress()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("running", 50));
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn")));

        var run = await cli.RunAsync("vm", "power-on", "vm-5", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Error);
        Assert.Equal("poweredOn", JsonSerializer.Deserialize<CenterVmDto>(run.Out, JsonDefaults.Options)!.PowerState);
    }

    [Fact]
    public async Task PowerOn_Terminal_ShowsProgressBarAndResult()
    {
        var cli = new CliHarness { IsTerminal = true }.AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("running", 50));
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn")));

        var run = await cli.RunAsync("vm", "power-on", "vm-5");

        // The bar itself is drawn only on a real terminal (Spectre.Console detects one); here: no plain lines instead.
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("VM 'web01' is poweredOn.", run.Out, StringComparison.Ordinal);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task PowerOn_TaskFails_PrintsTaskErrorAndExitsOne()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("error", 30, error: new ProblemErrorDto("vm.start-failed", "QEMU did not start", null)));

        var run = await cli.RunAsync("vm", "power-on", "vm-5", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains("error: task task-9 (VirtualMachine.powerOn web01) failed: QEMU did not start (vm.start-failed)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOff_TaskCancelled_ExitsOne()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-off", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("cancelled", 10, error: new ProblemErrorDto("task.cancelled", "cancelled by administrator", null)));

        var run = await cli.RunAsync("vm", "power-off", "vm-5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("was cancelled: cancelled by administrator", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOn_CtrlCWhileWaiting_LeavesTaskRunningAndSaysSo()
    {
        var time = new FakeTimeProvider();
        var cli = new CliHarness { TimeProvider = time, TaskPollInterval = TimeSpan.FromMilliseconds(250) }.AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task("running", 10), HttpStatusCode.Accepted);
        using var ctrlC = new CancellationTokenSource();

        var running = cli.RunAsync(["vm", "power-on", "vm-5"], ctrlC.Token);
        await WaitUntilAsync(() => cli.Http.Requests.Count == 1);
        await Task.Delay(50); // now waiting for the poll interval, which the fake clock never ends
        await ctrlC.CancelAsync();
        var run = await running;

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("Stopped waiting: task task-9", run.Error, StringComparison.Ordinal);
        Assert.Contains("hyperion task info task-9", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Http.Requests, r => r.PathAndQuery.Contains("cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PowerOn_Polling_WaitsTheIntervalOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var cli = new CliHarness { TimeProvider = time, TaskPollInterval = TimeSpan.FromMilliseconds(250) }.AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn")));

        var running = cli.RunAsync("vm", "power-on", "vm-5");
        await WaitUntilAsync(() => cli.Http.Requests.Count == 1);
        await Task.Delay(50);
        Assert.Single(cli.Http.Requests); // no poll before the interval has passed
        time.Advance(TimeSpan.FromMilliseconds(250));
        var run = await running;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, cli.Http.Requests.Count);
    }

    [Fact]
    public async Task Shutdown_Timeout_SendsBody()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/shutdown", CenterTestData.Task(), HttpStatusCode.Accepted);

        var run = await cli.RunAsync("vm", "shutdown", "vm-5", "--timeout", "30", "--no-wait", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"timeoutSeconds":30}""", Assert.Single(cli.Http.Requests).Body);
        Assert.Equal("task-9", JsonSerializer.Deserialize<TaskDto>(run.Out, JsonDefaults.Options)!.Id);
    }

    [Fact]
    public async Task Reconfigure_Center_PatchesAndPrintsVm()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Patch, "/api/vms/vm-5", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm() with { Cpus = 4 }));

        var run = await cli.RunAsync("vm", "reconfigure", "vm-5", "--cpus", "4", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"cpus":4}""", cli.Http.Requests[0].Body);
        Assert.Equal(4, JsonSerializer.Deserialize<CenterVmDto>(run.Out, JsonDefaults.Options)!.Cpus);
    }

    [Fact]
    public async Task Delete_Center_WaitsAndConfirms()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Delete, "/api/vms/vm-5", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100));

        var run = await cli.RunAsync("vm", "delete", "vm-5");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Deleted VM 'vm-5'.", run.Out.Trim());
    }

    [Fact]
    public async Task List_Center_FollowsPagesAndPrintsTable()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms", CenterTestData.Page([CenterTestData.Vm("a", id: "vm-1")], next: "c1", total: 2));
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?cursor=c1", CenterTestData.Page([CenterTestData.Vm("b", "poweredOn", "vm-2")], total: 2));

        var run = await cli.RunAsync("vm", "list", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["a", "b"], JsonSerializer.Deserialize<CenterVmDto[]>(run.Out, JsonDefaults.Options)!.Select(v => v.Name));
        var table = await cli.RunAsync("vm", "list");
        Assert.Contains("host-3", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_CenterAnswersPlainArray_Accepted()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms", new[] { CenterTestData.Vm() });

        var run = await cli.RunAsync("vm", "list", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(JsonSerializer.Deserialize<CenterVmDto[]>(run.Out, JsonDefaults.Options)!);
    }

    [Fact]
    public async Task Info_UnknownName_NotFound()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?name=ghost", CenterTestData.Page(Array.Empty<CenterVmDto>()));

        var run = await cli.RunAsync("vm", "info", "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no VM named 'ghost' on the Center (vm.not-found)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_AmbiguousName_ListsIds()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?name=web01", CenterTestData.Page([CenterTestData.Vm(id: "vm-5"), CenterTestData.Vm(id: "vm-6")]));

        var run = await cli.RunAsync("vm", "info", "web01");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("vm-5, vm-6", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_Center_PrintsCenterVm()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms/vm-5", CenterTestData.Vm());

        var run = await cli.RunAsync("vm", "info", "vm-5");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("host-3 (its id there: vm-1)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vm", "register", "web01", "--datastore", "local")]
    [InlineData("vm", "unregister", "web01")]
    public async Task HostOnlyVerb_AgainstCenter_ExitsOneWithClearError(params string[] args)
    {
        var cli = new CliHarness().AsCenter();

        var run = await cli.RunAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("works on a host agent, but 127.0.0.1:8443 is a Center", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task DatastoreList_Center_ListsSharedDatastoresWithTheirHosts()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/datastores", new PageDto<CenterDatastoreDto>(
            [new CenterDatastoreDto("datastore-9", "shared", "datacenter-2", "directory", 10L << 30, 4L << 30, ["host-3", "host-4"])], 1, null));

        var run = await cli.RunAsync("datastore", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("shared", run.Out, StringComparison.Ordinal);
        Assert.Contains("host-3, host-4", run.Out, StringComparison.Ordinal);
        Assert.Contains("datastore-9", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vm", "power-on", "web01", "--no-wait")]
    [InlineData("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--host", "host-3")]
    [InlineData("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--cluster", "prod")]
    public async Task CenterOnlyOption_AgainstHostAgent_ExitsOne(params string[] args)
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("needs a Center, but 127.0.0.1:8443 is a host agent", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task Console_CenterWithoutSerialRelay_PointsAtHost()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnProblem(HttpMethod.Get, "/api/vms/vm-5/console/serial?offset=0", HttpStatusCode.NotFound, new ProblemDto { Status = 404, Detail = "no such endpoint", Code = "request.not-found" });
        cli.Http.OnJson(HttpMethod.Get, "/api/vms/vm-5", CenterTestData.Vm());
        cli.Http.OnJson(HttpMethod.Get, "/api/hosts/host-3", CenterTestData.Host());

        var run = await cli.RunAsync("vm", "console", "vm-5", "--serial");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("hyperion --server https://10.0.0.5:8443 vm console vm-1 --serial", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductProbe_SeveralRequests_AskedOncePerInvocation()
    {
        var cli = new CliHarness().AsCenter();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms?name=web01", CenterTestData.Page([CenterTestData.Vm()]));
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-5/power-on", CenterTestData.Task(), HttpStatusCode.Accepted);
        cli.Http.OnJson(HttpMethod.Get, "/api/tasks/task-9", CenterTestData.Task("success", 100, CenterTestData.Vm(powerState: "poweredOn")));

        var run = await cli.RunAsync("vm", "power-on", "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(cli.Http.AllRequests, r => r.PathAndQuery == "/api/health");
        Assert.Equal("/api/health", cli.Http.AllRequests[0].PathAndQuery);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(5);
        }
    }
}
