using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>--accel auto boots a probe guest under KVM with a deadline; whichever accelerator wins is reported by host and VM alike.</summary>
[Trait("Category", "Kvm")]
public sealed class AccelerationProbeTests
{
    [Fact]
    public async Task AutoAccel_ProbeDecides_HostAndVmReportTheChoice()
    {
        await using var agent = await HostAgentProcess.StartAsync("auto");
        var host = await agent.Api.HostInfoAsync();

        Assert.Equal("auto", host.Acceleration.Requested);
        Assert.True(host.Acceleration.Mode is "kvm" or "tcg", host.Acceleration.Mode);
        Assert.False(string.IsNullOrWhiteSpace(host.Acceleration.Reason));
        if (!File.Exists("/dev/kvm"))
        {
            Assert.Equal("tcg", host.Acceleration.Mode);
        }
        else
        {
            // The probe ran: either it booted (and then fast) or it failed and said why.
            Assert.NotNull(host.Acceleration.ProbeMilliseconds);
            Assert.Contains(host.Acceleration.Mode == "kvm" ? "booted" : "probe failed", host.Acceleration.Reason, StringComparison.Ordinal);
        }

        Assert.Contains($"acceleration: {host.Acceleration.Mode}", agent.Output, StringComparison.Ordinal);
        await agent.Api.CreateTinyAsync("probed");
        var vm = await agent.Api.PowerOkAsync("probed", "power-on");
        Assert.Equal(host.Acceleration.Mode, vm.Acceleration);
        await agent.Api.WaitForTickAsync("probed", 2, TimeSpan.FromSeconds(150));
        await agent.Api.PowerOkAsync("probed", "power-off");
    }

    [Fact]
    public async Task ForcedTcg_NoProbe_ReportsOverride()
    {
        await using var agent = await HostAgentProcess.StartAsync("tcg");
        var host = await agent.Api.HostInfoAsync();

        Assert.Equal("tcg", host.Acceleration.Mode);
        Assert.Equal("tcg", host.Acceleration.Requested);
        Assert.Null(host.Acceleration.ProbeMilliseconds);
        Assert.Contains("forced", host.Acceleration.Reason, StringComparison.Ordinal);
    }
}
