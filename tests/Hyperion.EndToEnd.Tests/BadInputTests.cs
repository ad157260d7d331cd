using System.Diagnostics;
using System.Net;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>Every refusal is a clear problem with a stable code, and leaves nothing behind: no folder, no process, no registration.</summary>
[Trait("Category", "EndToEnd")]
public sealed class BadInputTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    private string LocalDatastore => Path.Combine(fixture.Agent.Data.Path, "datastores", "local");

    public static TheoryData<string, VmCreateRequest, HttpStatusCode, string> Refusals => new()
    {
        { "zero vCPUs", new VmCreateRequest { Name = "bad-cpu", Cpus = 0, MemoryMiB = 128, Image = "tiny" }, HttpStatusCode.UnprocessableEntity, "vm.invalid-spec" },
        { "memory beyond the host", new VmCreateRequest { Name = "bad-mem", Cpus = 1, MemoryMiB = 64L * 1024 * 1024, Image = "tiny" }, HttpStatusCode.UnprocessableEntity, "host.no-capacity" },
        { "vCPUs beyond the host", new VmCreateRequest { Name = "bad-cpus", Cpus = 4096, MemoryMiB = 128, Image = "tiny" }, HttpStatusCode.UnprocessableEntity, "host.no-capacity" },
        { "unknown image", new VmCreateRequest { Name = "bad-image", Cpus = 1, MemoryMiB = 128, Image = "windows-3.11" }, HttpStatusCode.UnprocessableEntity, "image.not-found" },
        { "missing datastore", new VmCreateRequest { Name = "bad-ds", Cpus = 1, MemoryMiB = 128, Image = "tiny", Datastore = "nowhere" }, HttpStatusCode.UnprocessableEntity, "datastore.not-found" },
        { "disk path escaping the datastore", new VmCreateRequest { Name = "bad-path", Cpus = 1, MemoryMiB = 128, Image = "tiny", Disks = [new VmDiskRequest(Path: "../../../../etc/passwd")] }, HttpStatusCode.UnprocessableEntity, "datastore.path-escapes" },
        { "absolute disk path", new VmCreateRequest { Name = "bad-abs", Cpus = 1, MemoryMiB = 128, Image = "tiny", Disks = [new VmDiskRequest(Path: "/etc/passwd")] }, HttpStatusCode.UnprocessableEntity, "datastore.path-escapes" },
        { "unparseable disk size", new VmCreateRequest { Name = "bad-size", Cpus = 1, MemoryMiB = 128, Image = "tiny", Disks = [new VmDiskRequest(Size: "lots")] }, HttpStatusCode.UnprocessableEntity, "vm.invalid-spec" },
        { "invalid name", new VmCreateRequest { Name = "../evil", Cpus = 1, MemoryMiB = 128, Image = "tiny" }, HttpStatusCode.UnprocessableEntity, "vm.invalid-spec" },
        { "unknown network", new VmCreateRequest { Name = "bad-net", Cpus = 1, MemoryMiB = 128, Image = "tiny", Nics = [new VmNicRequest("no-such-bridge")] }, HttpStatusCode.UnprocessableEntity, "vm.invalid-spec" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Create_BadInput_ProblemDetailsAndNothingLeftBehind(string why, VmCreateRequest request, HttpStatusCode status, string code)
    {
        var before = Directory.GetFileSystemEntries(LocalDatastore).Length;

        var result = await Api.SendAsync(HttpMethod.Post, "/api/vms", request);

        Assert.True(status == result.Status, $"{why}: expected {(int)status}, got {(int)result.Status} {result.Body}");
        var problem = result.Problem();
        Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Equal(before, Directory.GetFileSystemEntries(LocalDatastore).Length);
        Assert.DoesNotContain(await Api.ListVmsAsync(), v => v.Name == request.Name);
    }

    [Fact]
    public async Task Create_DuplicateName_ConflictAndFirstVmUntouched()
    {
        var first = await Api.CreateTinyAsync("twin");

        var result = await Api.SendAsync(HttpMethod.Post, "/api/vms", new VmCreateRequest { Name = "twin", Cpus = 2, MemoryMiB = 256, Image = "tiny" });

        Assert.Equal(HttpStatusCode.Conflict, result.Status);
        Assert.Equal("vm.duplicate-name", result.Problem().Code);
        var still = await Api.GetVmAsync("twin");
        Assert.Equal(first.Uuid, still.Uuid);
        Assert.Equal(1, still.Cpus);
        Assert.Single(await Api.ListVmsAsync(), v => v.Name == "twin");
    }

    [Fact]
    public async Task Create_MalformedJson_BadRequestProblem()
    {
        using var content = new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json");
        using var response = await Api.Http.PostAsync(new Uri("/api/vms", UriKind.Relative), content);
        var result = new ApiResult(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("request.invalid", result.Problem().Code);
    }

    [Fact]
    public async Task PowerOn_QemuFailsToStart_ClearErrorVmStaysOffNoProcessLeft()
    {
        // A kernel that vanishes after the VM was created: QEMU itself refuses to start.
        var kernel = Path.Combine(fixture.Agent.Data.Path, "doomed-vmlinux");
        File.Copy(TinyGuest.Kernel, kernel);
        await Api.CreateVmAsync(new VmCreateRequest { Name = "doomed", Cpus = 1, MemoryMiB = 128, Kernel = kernel, Initrd = TinyGuest.Initrd });
        File.Delete(kernel);

        var result = await Api.PowerAsync("doomed", "power-on");

        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        var problem = result.Problem();
        Assert.Equal("vm.start-failed", problem.Code);
        Assert.Contains("doomed-vmlinux", problem.Detail, StringComparison.Ordinal);
        var vm = await Api.GetVmAsync("doomed");
        Assert.Equal("poweredOff", vm.PowerState);
        Assert.Null(vm.Pid);
        Assert.Empty(QemuProcessesFor(vm.Uuid));
        Assert.False(File.Exists(Path.Combine(fixture.Agent.Data.Path, "run", vm.Id, "qemu.pid")));
        Assert.Contains("doomed-vmlinux", await File.ReadAllTextAsync(Path.Combine(vm.Folder, "qemu.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_UnknownVm_NotFoundProblem()
    {
        var result = await Api.PowerAsync("ghost", "power-on");

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal("vm.not-found", result.Problem().Code);
    }

    [Fact]
    public async Task Requests_WithoutOrWithWrongCredentials_Unauthorized()
    {
        using var anonymous = HostAgentProcess.CreateHttpClient(fixture.Agent.BaseAddress, fixture.Agent.Fingerprint, null, null);
        using var wrong = HostAgentProcess.CreateHttpClient(fixture.Agent.BaseAddress, fixture.Agent.Fingerprint, "root", "not-it");

        using var none = await anonymous.PostAsync(new Uri("/api/vms", UriKind.Relative), null);
        using var bad = await wrong.GetAsync(new Uri("/api/vms", UriKind.Relative));
        using var health = await anonymous.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static List<int> QemuProcessesFor(string uuid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Contains(uuid, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .ToList();
}
