using System.Net;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The QEMU guest agent channel with a real guest: the tiny guest's responder on <c>org.qemu.guest_agent.0</c>, polled
/// by the host agent, shown on the VM like vSphere shows VMware Tools.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class GuestAgentTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    private HostApi Api => fixture.Api;

    [Fact]
    public async Task PowerOn_TinyGuestWithAgent_RuntimeShowsTheAgentRunningWithItsVersion_OffClearsIt()
    {
        var created = await Api.CreateVmAsync(new VmCreateRequest { Name = "agent", MemoryMiB = 128, Image = "tiny", GuestAgent = true });
        Assert.True(created.GuestAgent);
        Assert.Null(created.GuestAgentStatus);

        var on = await Api.PowerOkAsync("agent", "power-on");
        Assert.Equal(VmGuestAgentStates.NotRunning, on.GuestAgentStatus?.State);
        var running = await Eventually.GetAsync(() => Api.GetVmAsync("agent"), v => v.GuestAgentStatus?.State == VmGuestAgentStates.Running, Boot, "the guest agent answering");
        Assert.Equal("hyperion-tiny-1", running.GuestAgentStatus!.Version);
        Assert.NotNull(running.GuestAgentStatus.LastSeenAt);
        Assert.Contains("ga: ready", await Api.SerialAsync("agent"), StringComparison.Ordinal);

        // Guest hardware: not changed while the VM runs (as CPUs or NICs).
        var refused = await Api.SendAsync(HttpMethod.Patch, "/api/vms/agent", new VmReconfigureRequest { GuestAgent = false });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("vm.invalid-state", refused.Problem().Code);

        var off = await Api.PowerOkAsync("agent", "power-off");
        Assert.Null(off.GuestAgentStatus);
        var reconfigured = (await Api.SendAsync(HttpMethod.Patch, "/api/vms/agent", new VmReconfigureRequest { GuestAgent = false })).As<VmDto>();
        Assert.False(reconfigured.GuestAgent);
    }

    [Fact]
    public async Task AgentHangs_WhileTheGuestKeepsTicking_StatusTurnsNotRunningAndKeepsTheLastAnswer()
    {
        await Api.CreateVmAsync(new VmCreateRequest { Name = "agent-hang", MemoryMiB = 128, Image = "tiny", KernelArgs = "hyperion.ga_hang_after=15", GuestAgent = true });
        await Api.PowerOkAsync("agent-hang", "power-on");
        await Eventually.GetAsync(() => Api.GetVmAsync("agent-hang"), v => v.GuestAgentStatus?.State == VmGuestAgentStates.Running, Boot, "the guest agent answering");

        var hung = await Eventually.GetAsync(() => Api.GetVmAsync("agent-hang"), v => v.GuestAgentStatus?.State == VmGuestAgentStates.NotRunning, Boot, "the guest agent hanging");
        Assert.NotNull(hung.GuestAgentStatus!.LastSeenAt);
        Assert.Equal("hyperion-tiny-1", hung.GuestAgentStatus.Version);
        var log = await Api.SerialAsync("agent-hang");
        Assert.Contains("ga: hang", log, StringComparison.Ordinal);
        await Api.WaitForTickAsync("agent-hang", TinyGuestLog.LastTick(log) + 5);
        await Api.PowerOkAsync("agent-hang", "power-off");
    }

    [Fact]
    public async Task PowerOn_WithoutTheChannel_NoStatusAndNoPort()
    {
        await Api.CreateTinyAsync("no-agent");
        var on = await Api.PowerOkAsync("no-agent", "power-on");
        Assert.False(on.GuestAgent);
        Assert.Null(on.GuestAgentStatus);
        await Api.WaitForTickAsync("no-agent", 20);
        Assert.DoesNotContain("ga: ready", await Api.SerialAsync("no-agent"), StringComparison.Ordinal);
        await Api.PowerOkAsync("no-agent", "power-off");
    }
}
