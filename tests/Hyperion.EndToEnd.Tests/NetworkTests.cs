using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

[Trait("Category", "EndToEnd")]
public sealed class NetworkTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task BridgedNic_GuestWithAddress_AnswersPingAndTapRemovedAtPowerOff()
    {
        using var network = TestBridgeNetwork.Create();
        var address = network.GuestAddress(2);
        var vm = await Api.CreateVmAsync(new VmCreateRequest
        {
            Name = "pingable",
            Cpus = 1,
            MemoryMiB = 128,
            Image = "tiny",
            KernelArgs = $"ip={address}/24",
            Nics = [new VmNicRequest(network.Bridge)],
        });
        Assert.Equal(network.Bridge, Assert.Single(vm.Nics).Network);

        await Api.PowerOkAsync("pingable", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("pingable"), l => l.Contains($"net: eth0 {address}/24", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "guest NIC configured");
        await Eventually.TrueAsync(() => Task.FromResult(network.Ping(address)), TimeSpan.FromSeconds(30), $"ping {address} from the test namespace");

        var tap = Assert.Single(Directory.GetDirectories($"/sys/class/net/{network.Bridge}/brif"), d => Hyperion.Hypervisor.Networking.TapDevices.IsVmTap(Path.GetFileName(d)));
        await Api.PowerOkAsync("pingable", "power-off");
        Assert.False(Directory.Exists($"/sys/class/net/{Path.GetFileName(tap)}"), "the VM's tap is removed when it powers off");
    }

    [Fact]
    public async Task BridgedNic_BridgeRemovedBeforePowerOn_StartFailsCleanly()
    {
        string bridge;
        using (var network = TestBridgeNetwork.Create())
        {
            bridge = network.Bridge;
            await Api.CreateVmAsync(new VmCreateRequest { Name = "orphan-nic", Cpus = 1, MemoryMiB = 128, Image = "tiny", Nics = [new VmNicRequest(bridge)] });
        }

        var result = await Api.PowerAsync("orphan-nic", "power-on");

        Assert.Equal("vm.start-failed", result.Problem().Code);
        Assert.Contains(bridge, result.Problem().Detail, StringComparison.Ordinal);
        Assert.Equal("poweredOff", (await Api.GetVmAsync("orphan-nic")).PowerState);
    }
}
