using System.Diagnostics;
using System.Net;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

[Trait("Category", "EndToEnd")]
public sealed class VmConfigurationTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task Disk_WrittenByGuest_ReadBackInsideAndOutside()
    {
        var vm = await Api.CreateTinyAsync("writer", "hyperion.write=hello-from-guest", 128, new VmDiskRequest(Size: "64M"));
        var disk = Assert.Single(vm.Disks);
        Assert.Equal(64L * 1024 * 1024, disk.SizeBytes);
        Assert.Equal("qcow2", disk.Format);

        await Api.PowerOkAsync("writer", "power-on");
        var log = await Eventually.GetAsync(() => Api.SerialAsync("writer"), l => l.Contains("disk: ", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "disk line");
        Assert.Contains("disk: hello-from-guest", log, StringComparison.Ordinal);
        await Api.PowerOkAsync("writer", "power-off");

        // Outside: the bytes are in the qcow2 on the datastore.
        var raw = Path.Combine(fixture.Agent.Data.Path, "writer.raw");
        var convert = Process.Start("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", Path.Combine(vm.Folder, disk.Path), raw])!;
        await convert.WaitForExitAsync();
        var head = new byte[32];
        await using (var f = File.OpenRead(raw))
        {
            await f.ReadExactlyAsync(head);
        }

        Assert.StartsWith("hello-from-guest\n", System.Text.Encoding.ASCII.GetString(head), StringComparison.Ordinal);
        File.Delete(raw);

        // A second boot without the write switch reads what the first one wrote.
        await Api.SendAsync(HttpMethod.Patch, "/api/vms/writer", new VmReconfigureRequest { KernelArgs = string.Empty });
        await Api.PowerOkAsync("writer", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("writer"), l => TinyGuestLog.CountBoots(l) == 2 && l.LastIndexOf("disk: hello-from-guest", StringComparison.Ordinal) > l.LastIndexOf(TinyGuestLog.BootMarker, StringComparison.Ordinal), TimeSpan.FromSeconds(90), "second boot reading the disk");
        await Api.PowerOkAsync("writer", "power-off");
    }

    [Fact]
    public async Task Reconfigure_PoweredOffVsOn_AppliesOnlyWhenOff()
    {
        await Api.CreateTinyAsync("shape");
        var updated = (await Api.SendAsync(HttpMethod.Patch, "/api/vms/shape", new VmReconfigureRequest { Cpus = 2, MemoryMiB = 192, AddDisks = [new VmDiskRequest(Size: "16M")], AddNics = [new VmNicRequest("user")] })).As<VmDto>();
        Assert.Equal(2, updated.Cpus);
        Assert.Equal(192, updated.MemoryMiB);
        Assert.Single(updated.Disks);
        var nic = Assert.Single(updated.Nics);
        Assert.Matches("^52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", nic.Mac);
        Assert.True(File.Exists(Path.Combine(updated.Folder, updated.Disks[0].Path)));
        Assert.Contains("\"cpus\": 2", await File.ReadAllTextAsync(Path.Combine(updated.Folder, "vm.json")), StringComparison.Ordinal);

        await Api.PowerOkAsync("shape", "power-on");
        var refused = await Api.SendAsync(HttpMethod.Patch, "/api/vms/shape", new VmReconfigureRequest { Cpus = 1 });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("vm.invalid-state", refused.Problem().Code);
        var deleteRefused = await Api.SendAsync(HttpMethod.Delete, "/api/vms/shape");
        Assert.Equal(HttpStatusCode.Conflict, deleteRefused.Status);
        Assert.Equal(2, (await Api.GetVmAsync("shape")).Cpus);

        // The guest sees the NIC: the tiny guest configures it when asked.
        await Api.PowerOkAsync("shape", "power-off");
        await Api.SendAsync(HttpMethod.Patch, "/api/vms/shape", new VmReconfigureRequest { KernelArgs = "ip=10.0.2.15/24" });
        await Api.PowerOkAsync("shape", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("shape"), l => l.Contains("net: eth0 10.0.2.15/24", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "NIC configured");
        await Api.PowerOkAsync("shape", "power-off");
    }

    [Fact]
    public async Task DirtyMode_GuestRewritesMemory_PassesVerifyAndTicksContinue()
    {
        await Api.CreateTinyAsync("dirtier", "hyperion.dirty=16 hyperion.dirty_rate=64", 192);
        await Api.PowerOkAsync("dirtier", "power-on");

        var log = await Eventually.GetAsync(() => Api.SerialAsync("dirtier"), l => l.Contains("dirty: pass 3 ok", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "three verified dirtying passes");

        Assert.Contains("dirty: 16 MiB at 64 MiB/s", log, StringComparison.Ordinal);
        Assert.DoesNotContain("mismatch", log, StringComparison.Ordinal);
        Assert.True(TinyGuestLog.LastTick(log) >= 5, "ticks keep coming while memory is dirtied");
        await Api.PowerOkAsync("dirtier", "power-off");
    }

    [Fact]
    public async Task GuestPowersItselfOff_ReflectedWithinOneSecondWithEvent()
    {
        var vm = await Api.CreateTinyAsync("quitter", "hyperion.poweroff=20");
        await Api.PowerOkAsync("quitter", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("quitter"), l => l.Contains("hyperion-tiny poweroff", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "guest power-off", TimeSpan.FromMilliseconds(20));
        var seen = Stopwatch.StartNew();

        await Eventually.GetAsync(() => Api.GetVmAsync("quitter"), v => v.PowerState == "poweredOff", TimeSpan.FromSeconds(5), "poweredOff", TimeSpan.FromMilliseconds(20));

        Assert.True(seen.Elapsed < TimeSpan.FromSeconds(1), $"took {seen.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains(await Api.EventsAsync(vm.Id), e => e.Type == EventTypes.VmGuestPoweredOff);
    }
}
