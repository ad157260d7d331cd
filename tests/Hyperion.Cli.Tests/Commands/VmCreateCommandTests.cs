using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Tests.Commands;

public sealed class VmCreateCommandTests
{
    [Fact]
    public async Task Create_AllOptions_SendsRequestJson()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", TestData.Vm(), HttpStatusCode.Created);

        var run = await cli.RunAsync(
            "vm", "create", "web01", "--cpus", "2", "--memory", "512",
            "--disk", "1G", "--disk", "512M", "--image", "tiny",
            "--kernel-args", "console=ttyS0 quiet", "--nic", "user", "--nic", "br0", "--datastore", "fast");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = Assert.Single(cli.Http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body!);
        var root = body.RootElement;
        Assert.Equal("web01", root.GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("cpus").GetInt32());
        Assert.Equal(512, root.GetProperty("memoryMiB").GetInt64());
        Assert.Equal("tiny", root.GetProperty("image").GetString());
        Assert.Equal("console=ttyS0 quiet", root.GetProperty("kernelArgs").GetString());
        Assert.Equal("fast", root.GetProperty("datastore").GetString());
        Assert.Equal(["1G", "512M"], root.GetProperty("disks").EnumerateArray().Select(d => d.GetProperty("size").GetString()));
        Assert.Equal(["user", "br0"], root.GetProperty("nics").EnumerateArray().Select(n => n.GetProperty("network").GetString()));
        Assert.Contains("web01", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_GuestAgent_SendsItAndShowsTheAgentsStatus()
    {
        var cli = new CliHarness();
        var answer = TestData.Vm() with
        {
            GuestAgent = true,
            GuestAgentStatus = new VmGuestAgentDto(VmGuestAgentStates.Running, "hyperion-tiny-1", "web01", DateTimeOffset.UnixEpoch),
        };
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", answer, HttpStatusCode.Created);

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--image", "tiny", "--guest-agent");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<VmCreateRequest>(Assert.Single(cli.Http.Requests).Body!, JsonDefaults.Options)!;
        Assert.True(request.GuestAgent);
        Assert.Contains("running (version hyperion-tiny-1, host name web01)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_KernelInitrdIso_SendsBootPaths()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", TestData.Vm(), HttpStatusCode.Created);

        var run = await cli.RunAsync(
            "vm", "create", "web01", "--cpus", "1", "--memory", "128",
            "--kernel", "boot/vmlinuz", "--initrd", "boot/initrd.img", "--iso", "isos/alpine.iso");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<VmCreateRequest>(Assert.Single(cli.Http.Requests).Body!, JsonDefaults.Options)!;
        Assert.Equal("boot/vmlinuz", request.Kernel);
        Assert.Equal("boot/initrd.img", request.Initrd);
        Assert.Equal("isos/alpine.iso", request.Iso);
        Assert.Null(request.Image);
        Assert.Null(request.Datastore);
        Assert.Empty(request.Disks);
    }

    [Fact]
    public async Task Create_ImagePath_PassedToHostAsImage()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", TestData.Vm(), HttpStatusCode.Created);

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--image", "/srv/images/debian.qcow2", "--disk", "2G");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = JsonSerializer.Deserialize<VmCreateRequest>(Assert.Single(cli.Http.Requests).Body!, JsonDefaults.Options)!;
        Assert.Equal("/srv/images/debian.qcow2", request.Image);
        Assert.Equal([new VmDiskRequest(Size: "2G")], request.Disks);
    }

    [Fact]
    public async Task Create_PowerOn_SendsPowerOnAfterCreate()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", TestData.Vm(id: "vm-7"), HttpStatusCode.Created);
        cli.Http.OnJson(HttpMethod.Post, "/api/vms/vm-7/power-on", TestData.Vm(id: "vm-7", powerState: "poweredOn"));

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--image", "tiny", "--power-on", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["/api/vms", "/api/vms/vm-7/power-on"], cli.Http.Requests.Select(r => r.PathAndQuery));
        var vm = JsonSerializer.Deserialize<VmDto>(run.Out, JsonDefaults.Options)!;
        Assert.Equal("poweredOn", vm.PowerState);
    }

    [Fact]
    public async Task Create_PowerOnRefused_ExitsOneAndSaysVmExists()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Post, "/api/vms", TestData.Vm(id: "vm-7"), HttpStatusCode.Created);
        cli.Http.OnProblem(HttpMethod.Post, "/api/vms/vm-7/power-on", HttpStatusCode.Conflict, new ProblemDto { Detail = "not enough memory", Code = "host.no-memory" });

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--power-on");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("was created but did not power on", run.Error, StringComparison.Ordinal);
        Assert.Contains("error: not enough memory (host.no-memory)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ServerRejectsName_PrintsProblemAndEachErrorAndExitsOne()
    {
        var cli = new CliHarness();
        cli.Http.OnProblem(HttpMethod.Post, "/api/vms", HttpStatusCode.BadRequest, new ProblemDto
        {
            Title = "Invalid request",
            Detail = "the VM request is invalid",
            Code = "vm.invalid",
            Errors = [new ProblemErrorDto("vm.name-taken", "a VM named web01 exists", "name"), new ProblemErrorDto("vm.memory-too-small", "memory must be at least 16 MiB", null)],
        });

        var run = await cli.RunAsync("vm", "create", "web01", "--cpus", "1", "--memory", "8");

        Assert.Equal(1, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("error: the VM request is invalid (vm.invalid)", lines[0]);
        Assert.Equal("name: a VM named web01 exists (vm.name-taken)", lines[1]);
        Assert.Equal("memory must be at least 16 MiB (vm.memory-too-small)", lines[2]);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("vm", "create", "web01", "--memory", "128")]
    [InlineData("vm", "create", "web01", "--cpus", "0", "--memory", "128")]
    [InlineData("vm", "create", "web01", "--cpus", "two", "--memory", "128")]
    [InlineData("vm", "create", "web01", "--cpus", "1", "--memory", "128", "--disk", "1X")]
    [InlineData("vm", "create", "--cpus", "1", "--memory", "128")]
    public async Task Create_BadArguments_ExitsTwoWithoutRequest(params string[] args)
    {
        var cli = new CliHarness();

        var run = await cli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(cli.Http.Requests);
    }
}
