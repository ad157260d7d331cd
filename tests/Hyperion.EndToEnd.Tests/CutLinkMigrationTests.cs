using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>The migration lab with host B in its own network namespace: its link to host A and the Center can be cut.</summary>
public sealed class CutLinkMigrationLab() : MigrationLab(destinationBehindLink: true);

/// <summary>
/// The network between the hosts is cut in the middle of a live migration (the far end of the veth goes down: the
/// source's packets vanish, nothing is reset). The stream stalls; the source gives up after the stall timeout and keeps
/// running the guest, which never stops; when the link returns, the Center reconnects host B and throws its
/// half-received copy away, and the same migration then succeeds.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CutLinkMigrationTests(CutLinkMigrationLab lab) : IClassFixture<CutLinkMigrationLab>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task LinkCut_MidFlight_StallCancels_VmRunsOnSource_DestinationCleanedWhenLinkReturns()
    {
        var link = lab.Link!;
        var vm = await lab.CreateRunningAsync("travel-cut");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2, StallSeconds = 5 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        Assert.NotNull(lab.IncomingQemu(vm));
        link.Cut();
        try
        {
            var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
            Assert.Equal("error", done.State);
            Assert.Contains("the stream stopped: no data reached the destination for 5 s", done.Error!.Message, StringComparison.Ordinal);
            await lab.AssertRunsOnAsync(vm, lab.HostA);
            await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/hosts/{lab.HostB.Id}")).As<HostDto>(), h => h.ConnectionState != "connected", Timeout, "B seen unreachable");
        }
        finally
        {
            link.Heal();
        }

        // Back on the network: B reconnects and its paused arrival (no source sends it any more) is thrown away.
        await lab.WaitForHostConnectedAsync(lab.HostB);
        await Eventually.GetAsync(() => Task.FromResult((lab.QemuCount(vm), lab.IncomingQemu(vm))), s => s == (1, null), Timeout, "B's incoming QEMU is gone");
        Assert.Empty((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        Assert.Empty(await lab.AgentB.Api.ListVmsAsync());
        Assert.Empty((await lab.AgentA.Api.ListMigrationsAsync()).Outgoing);
        await lab.AssertRunsOnAsync(vm, lab.HostA);

        // The same migration over the healed link arrives; the guest never restarted.
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)));
        await lab.AssertRunsOnAsync(vm, lab.HostB);
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "the guest never stopped");
        await lab.DeleteAsync(vm);
    }
}
