using System.Diagnostics;
using Hyperion.Contracts.Events;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

[Trait("Category", "EndToEnd")]
public sealed class AgentRestartTests : IAsyncLifetime
{
    private HostAgentProcess _agent = null!;

    public async Task InitializeAsync() => _agent = await HostAgentProcess.StartAsync("tcg");

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task AgentKilled_RestartedAgent_ReadoptsRunningVmWithTicksContinuing()
    {
        var api = _agent.Api;
        await api.CreateTinyAsync("survivor");
        var on = await api.PowerOkAsync("survivor", "power-on");
        var before = TinyGuestLog.LastTick(await api.WaitForTickAsync("survivor", 5));

        await _agent.KillAsync();
        Assert.True(IsAlive(on.Pid!.Value), "QEMU must outlive a SIGKILLed agent");
        await _agent.RestartAsync();
        api = _agent.Api;

        var vm = await api.GetVmAsync("survivor");
        Assert.Equal("poweredOn", vm.PowerState);
        Assert.Equal(on.Pid, vm.Pid);
        Assert.Equal("tcg", vm.Acceleration);
        var log = await api.WaitForTickAsync("survivor", before + 10);

        // Not restarted (one boot), and nothing lost: every tick from 1 is in the log, in order, while the agent was down too.
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.Equal(Enumerable.Range(1, ticks.Count), ticks);
        Assert.Contains(await api.EventsAsync(vm.Id), e => e.Type == EventTypes.VmAdopted);

        // The re-adopted VM is fully controllable.
        Assert.Equal("poweredOff", (await api.PowerOkAsync("survivor", "power-off")).PowerState);
        Assert.False(IsAlive(on.Pid!.Value));
    }

    [Fact]
    public async Task AgentKilled_WhileItsSpecNamedADeltaDiskQemuNeverSwitchedTo_RestartedAgentFollowsQemu()
    {
        // The crash window of a delta-disk switch (linked clone of a running VM, or the copy of a running full clone):
        // the spec already names the new, empty delta, but QEMU still writes the image beneath. Played by hand here.
        var api = _agent.Api;
        var created = await api.CreateTinyAsync("switcher", "hyperion.diskwrite=20", 128, new Hyperion.Contracts.Vms.VmDiskRequest("16M"));
        await api.PowerOkAsync("switcher", "power-on");
        await api.WaitForTickAsync("switcher", 2);
        await _agent.KillAsync();

        var disk = created.Disks[0].Path;
        var delta = Path.Combine(created.Folder, "switcher-disk0-000001.qcow2");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", disk, "-F", "qcow2", delta, "16M");
        var config = Path.Combine(created.Folder, "vm.json");
        var spec = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(config))!;
        var disks = spec["disks"]!.AsArray();
        disks[0]!["path"] = Path.GetFileName(delta);
        disks[0]!["base"] = disk;
        await File.WriteAllTextAsync(config, spec.ToJsonString());

        await _agent.RestartAsync();
        var vm = await _agent.Api.GetVmAsync("switcher");
        Assert.Equal("poweredOn", vm.PowerState);
        Assert.Equal(disk, vm.Disks[0].Path);
        Assert.Null(vm.Disks[0].Base);
        Assert.Contains(disk, await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        await _agent.Api.PowerOkAsync("switcher", "power-off");
    }

    [Fact]
    public async Task AgentSigterm_OrderlyStop_ExitsPromptlyAndVmKeepsRunning()
    {
        var api = _agent.Api;
        await api.CreateTinyAsync("steady");
        var on = await api.PowerOkAsync("steady", "power-on");

        var exitCode = await _agent.TerminateAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.True(IsAlive(on.Pid!.Value), "an agent stop never stops VMs");
        await _agent.RestartAsync();
        Assert.Equal("poweredOn", (await _agent.Api.GetVmAsync("steady")).PowerState);
        await _agent.Api.PowerOkAsync("steady", "power-off");
    }

    [Fact]
    public async Task QemuKilled_RunningVm_ReportedPoweredOffWithinOneSecondWithEvent()
    {
        var api = _agent.Api;
        await api.CreateTinyAsync("victim");
        var on = await api.PowerOkAsync("victim", "power-on");
        await api.WaitForTickAsync("victim", 2);

        using (var qemu = Process.GetProcessById(on.Pid!.Value))
        {
            qemu.Kill();
        }

        var killedAt = Stopwatch.StartNew();
        await Eventually.GetAsync(() => api.GetVmAsync("victim"), v => v.PowerState == "poweredOff", TimeSpan.FromSeconds(5), "victim powered off", TimeSpan.FromMilliseconds(20));
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(1), $"took {killedAt.Elapsed.TotalMilliseconds:F0} ms to notice");
        var died = Assert.Single(await api.EventsAsync(on.Id), e => e.Type == EventTypes.VmProcessDied);
        Assert.Contains(on.Pid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), died.Message, StringComparison.Ordinal);

        // It can be powered on again.
        Assert.Equal("poweredOn", (await api.PowerOkAsync("victim", "power-on")).PowerState);
        await api.PowerOkAsync("victim", "power-off");
    }

    [Fact]
    public async Task QemuKilledWhileAgentDown_RestartedAgent_ReportsPoweredOff()
    {
        var api = _agent.Api;
        await api.CreateTinyAsync("orphan");
        var on = await api.PowerOkAsync("orphan", "power-on");
        await _agent.KillAsync();
        using (var qemu = Process.GetProcessById(on.Pid!.Value))
        {
            qemu.Kill();
            await qemu.WaitForExitAsync();
        }

        await _agent.RestartAsync();
        var vm = await _agent.Api.GetVmAsync("orphan");
        Assert.Equal("poweredOff", vm.PowerState);
        Assert.Null(vm.Pid);
    }

    [Fact]
    public async Task MonitorUnreachableAfterRestart_VmKeptRunningAndWatched_OnlyPowerOffAllowed()
    {
        var api = _agent.Api;
        var vm = await api.CreateTinyAsync("mute");
        var on = await api.PowerOkAsync("mute", "power-on");
        await _agent.KillAsync();
        File.Delete(Path.Combine(_agent.Data.Path, "run", vm.Id, "qmp.sock"));

        await _agent.RestartAsync();
        api = _agent.Api;

        var adopted = await api.GetVmAsync("mute");
        Assert.Equal("poweredOn", adopted.PowerState);
        Assert.Equal(on.Pid, adopted.Pid);
        var refused = await api.PowerAsync("mute", "suspend");
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("monitor", refused.Problem().Detail, StringComparison.Ordinal);
        Assert.Equal("poweredOff", (await api.PowerOkAsync("mute", "power-off")).PowerState);
        Assert.False(IsAlive(on.Pid!.Value));
    }

    private static bool IsAlive(int pid) => ProcessProbe.IsAlive(pid);
}
