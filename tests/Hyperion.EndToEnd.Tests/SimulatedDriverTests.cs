using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The SIMULATED driver (scale tests only) runs the same agent code above the driver seam, and says so.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SimulatedDriverTests
{
    [Fact]
    public async Task SimulatedHost_ManyVms_FullLifecycleThroughTheRealAgent()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg", "--driver", "simulated");
        var api = agent.Api;
        var host = await api.HostInfoAsync();
        Assert.Equal("simulated", host.Driver);
        Assert.Equal("simulated", host.Acceleration.Mode);
        Assert.Contains("SIMULATED", agent.Output, StringComparison.Ordinal);

        const int count = 40;
        for (var i = 0; i < count; i++)
        {
            await api.CreateTinyAsync($"sim-{i:D3}");
        }

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => api.PowerOkAsync($"sim-{i:D3}", "power-on")));
        var vms = await api.ListVmsAsync();
        Assert.Equal(count, vms.Count(v => v.PowerState == "poweredOn" && v.Acceleration == "simulated"));
        Assert.Contains("hyperion-simulated boot", await api.SerialAsync("sim-000"), StringComparison.Ordinal);

        Assert.Equal("suspended", (await api.PowerOkAsync("sim-001", "suspend")).PowerState);
        Assert.Equal("poweredOn", (await api.PowerOkAsync("sim-001", "resume")).PowerState);
        Assert.Equal("poweredOff", (await api.PowerAsync("sim-002", "shutdown")).As<VmDto>().PowerState);
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => api.PowerOkAsync($"sim-{i:D3}", "power-off")));
        Assert.All(await api.ListVmsAsync(), v => Assert.Equal("poweredOff", v.PowerState));
        Assert.Contains(await api.EventsAsync(), e => e.Type == Contracts.Events.EventTypes.VmPoweredOff && e.Message.Contains("guest", StringComparison.Ordinal));
    }
}
