using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Tests.Commands;

public sealed class VmCommandsTests
{
    [Fact]
    public async Task List_Json_PrintsParseableArray()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms", new[] { TestData.Vm("a", id: "vm-1"), TestData.Vm("b", "poweredOn", "vm-2") });

        var run = await cli.RunAsync("vm", "list", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var vms = JsonSerializer.Deserialize<VmDto[]>(run.Out, JsonDefaults.Options)!;
        Assert.Equal(["a", "b"], vms.Select(v => v.Name));
        Assert.Contains("\n  ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Human_PrintsTableWithoutColours()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms", new[] { TestData.Vm("web01", "poweredOn") });

        var run = await cli.RunAsync("vm", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("web01", run.Out, StringComparison.Ordinal);
        Assert.Contains("poweredOn", run.Out, StringComparison.Ordinal);
        Assert.Contains("512 MiB", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_NameNeedsEscaping_EscapesPath()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/vms/my%20vm%2F1", TestData.Vm("my vm/1"));

        var run = await cli.RunAsync("vm", "info", "my vm/1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("/api/vms/my%20vm%2F1", Assert.Single(cli.Http.Requests).Uri.AbsolutePath);
        Assert.Contains("Power state:", run.Out, StringComparison.Ordinal);
        Assert.Contains("disk0.qcow2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_NotFound_PrintsErrorAndExitsOne()
    {
        var cli = new CliHarness();
        cli.Http.OnProblem(HttpMethod.Get, "/api/vms/ghost", HttpStatusCode.NotFound, new ProblemDto { Title = "Not Found", Status = 404, Detail = "VM 'ghost' does not exist", Code = "vm.not-found" });

        var run = await cli.RunAsync("vm", "info", "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: VM 'ghost' does not exist (vm.not-found)", run.Error.Trim());
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Info_NotFoundWithoutProblemBody_ReportsStatus()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Get, "/api/vms/ghost", () => new HttpResponseMessage(HttpStatusCode.NotFound));

        var run = await cli.RunAsync("vm", "info", "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: HTTP 404", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("power-on")]
    [InlineData("power-off")]
    [InlineData("reset")]
    [InlineData("suspend")]
    [InlineData("resume")]
    public async Task Power_Verb_PostsToActionPath(string verb)
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, $"/api/vms/web01/{verb}", TestData.Vm(powerState: "poweredOn"));

        var run = await cli.RunAsync("vm", verb, "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Null(request.Body);
        Assert.Contains("VM 'web01' is poweredOn.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_Timeout_SendsTimeoutBody()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/web01/shutdown", TestData.Vm());

        var run = await cli.RunAsync("vm", "shutdown", "web01", "--timeout", "30");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"timeoutSeconds":30}""", Assert.Single(cli.Http.Requests).Body);
    }

    [Fact]
    public async Task Shutdown_NoTimeout_SendsNoBody()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/web01/shutdown", TestData.Vm());

        var run = await cli.RunAsync("vm", "shutdown", "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Null(Assert.Single(cli.Http.Requests).Body);
    }

    [Fact]
    public async Task Reconfigure_SomeOptions_PatchesOnlyThose()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Patch, "/api/vms/web01", TestData.Vm());

        var run = await cli.RunAsync("vm", "reconfigure", "web01", "--memory", "1024", "--add-disk", "4G", "--add-nic", "br0");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal(HttpMethod.Patch, request.Method);
        Assert.Equal("""{"memoryMiB":1024,"addDisks":[{"size":"4G"}],"addNics":[{"network":"br0"}]}""", request.Body);
    }

    [Fact]
    public async Task Reconfigure_GuestAgentOff_PatchesOnlyIt()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Patch, "/api/vms/web01", TestData.Vm());

        var run = await cli.RunAsync("vm", "reconfigure", "web01", "--guest-agent", "off");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"guestAgent":false}""", Assert.Single(cli.Http.Requests).Body);
    }

    [Fact]
    public async Task Reconfigure_NothingToChange_ExitsTwoWithoutRequest()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("vm", "reconfigure", "web01");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nothing to change", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }

    [Fact]
    public async Task Delete_Success_SendsDeleteAndConfirms()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Delete, "/api/vms/web01", () => new HttpResponseMessage(HttpStatusCode.NoContent));

        var run = await cli.RunAsync("vm", "delete", "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(HttpMethod.Delete, Assert.Single(cli.Http.Requests).Method);
        Assert.Contains("Deleted VM 'web01'", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregister_Success_PostsUnregister()
    {
        var cli = new CliHarness();
        cli.Http.On(HttpMethod.Post, "/api/vms/web01/unregister", () => new HttpResponseMessage(HttpStatusCode.NoContent));

        var run = await cli.RunAsync("vm", "unregister", "web01");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(cli.Http.Requests);
    }

    [Fact]
    public async Task Register_DatastoreAndPath_PostsRegisterRequest()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/register", TestData.Vm(), HttpStatusCode.Created);

        var run = await cli.RunAsync("vm", "register", "--datastore", "local", "web01", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"datastore":"local","path":"web01"}""", Assert.Single(cli.Http.Requests).Body);
        Assert.Equal("web01", JsonSerializer.Deserialize<VmDto>(run.Out, JsonDefaults.Options)!.Name);
    }

    [Fact]
    public async Task Register_WithoutDatastore_ExitsTwo()
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync("vm", "register", "web01");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(cli.Http.Requests);
    }
}
