using Hyperion.Contracts.Center;
using Hyperion.Contracts.Events;
using Hyperion.Contracts.Ha;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// HA VM monitoring by guest agent heartbeats (vSphere's VM Monitoring with VMware Tools heartbeats), in a two-host HA
/// lab with real tiny guests: the agent stops answering while the guest keeps ticking, so only the agent's heartbeat
/// can trigger the reset; a guest whose agent never answered is left alone.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class GuestAgentMonitoringTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task VmMonitoring_AgentHangsGuestTicks_ResetInTheSameQemu_AgentNeverSeen_NotReset()
    {
        await using var lab = await HaLab.UpAsync(hosts: 2);

        // "hung": the agent answers for 30 s of uptime, then hangs. "silent": hangs before its first answer (as a
        // guest without an installed agent: the port exists, nobody answers).
        var hung = await lab.CreateRunningVmAsync("hung", hostIndex: 2, kernelArgs: "hyperion.ga_hang_after=30", guestAgent: true);
        var silent = await lab.CreateRunningVmAsync("silent", hostIndex: 2, kernelArgs: "hyperion.ga_hang_after=1", guestAgent: true);
        foreach (var vm in new[] { hung, silent })
        {
            (await lab.Center.SendAsync(HttpMethod.Put, $"/api/vms/{vm.Id}/ha", new VmHaRequest(null, true, 10))).EnsureStatus(System.Net.HttpStatusCode.OK);
        }

        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Vms.Count(v => v.Name is "hung" or "silent" && v.Protection == HaVmProtectionStates.Protected) == 2, TimeSpan.FromSeconds(60), "both VMs protected");
        var hungPid = Assert.Single(HaLab.QemusOf(lab.UuidOf("hung")));
        var silentPid = Assert.Single(HaLab.QemusOf(lab.UuidOf("silent")));

        await Eventually.TrueAsync(() => Task.FromResult(lab.SerialLog("hung").Contains("ga: hang", StringComparison.Ordinal)), Timeout, "hung's agent hangs");
        await Eventually.TrueAsync(() => Task.FromResult(TinyGuestLog.CountBoots(lab.SerialLog("hung")) >= 2), Timeout, "hung reset by VM monitoring");
        Assert.Equal([hungPid], HaLab.QemusOf(lab.UuidOf("hung")));
        var beforeReset = lab.SerialLog("hung");
        beforeReset = beforeReset[..beforeReset.LastIndexOf(TinyGuestLog.BootMarker, StringComparison.Ordinal)];
        var afterHang = TinyGuestLog.Ticks(beforeReset[beforeReset.IndexOf("ga: hang", StringComparison.Ordinal)..]).Count;
        Assert.True(afterHang >= 20, $"the guest ticked {afterHang} times between its agent's hang and the reset: the reset must come from the agent heartbeat, not the ticks");

        await Eventually.TrueAsync(
            async () => (await HaLab.ItemsAsync<CenterEventDto>(lab.Center, $"/api/events?type={EventTypes.HaVmMonitoringReset}&limit=100")).Any(e => e.Message.Contains("no guest agent heartbeat", StringComparison.Ordinal) && e.Message.Contains("(VM hung)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the Center records the reset of hung");

        // By now silent has run well past its failure interval without ever answering: never reset.
        Assert.Contains("ga: hang", lab.SerialLog("silent"), StringComparison.Ordinal);
        Assert.Equal(1, TinyGuestLog.CountBoots(lab.SerialLog("silent")));
        Assert.Equal([silentPid], HaLab.QemusOf(lab.UuidOf("silent")));
    }
}
