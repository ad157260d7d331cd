using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Hyperion.Web.Tests.Ha;

/// <summary>
/// vSphere HA in the web client against real HA agents: a Center of its own with one host agent started with a real
/// etcd (the lab's hosts have none), driven in the lab's Chromium. Edit vSphere HA turns HA on (after showing the
/// Center's refusal of a bad value), the cluster's vSphere HA tab shows the host become master and the running VM
/// protected, and Edit HA Overrides sets the VM's restart priority (after refusing a bad heartbeat timeout).
/// </summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
[Trait("Category", "Etcd")]
public sealed class HaTests(WebLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Election takes a round or two (500 ms each) after the host is configured; the tab asks again every 3 s.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task EditVSphereHa_TurnsHaOn_HostBecomesMaster_VmProtected_OverridesSetItsPriority_BadValuesRefusedInTheDialogs()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        using var shared = new TestDirectory("hyhashared");
        HostAgentProcess? agent = null;
        CenterProcess? center = null;
        HostApi? admin = null;
        string? clusterId = null;
        try
        {
            agent = await HostAgentProcess.StartAsync("tcg", "--etcd", etcd.Url, "--datastore", $"shared={shared.Path}");
            center = await CenterProcess.StartAsync("--host-monitor-interval", "1");
            admin = center.Client(CenterProcess.AdminUser, CenterProcess.AdminPassword);
            var datacenter = (await admin.SendAsync(HttpMethod.Post, "/api/datacenters", new DatacenterCreateRequest("dc-ha"))).As<DatacenterDto>(HttpStatusCode.Created);
            var cluster = (await admin.SendAsync(HttpMethod.Post, "/api/clusters", new ClusterCreateRequest("cl-ha", datacenter.Id))).As<ClusterDto>(HttpStatusCode.Created);
            clusterId = cluster.Id;
            var host = await admin.SucceedsAsync<HostDto>(await admin.SendAsync(HttpMethod.Post, "/api/hosts",
                new HostAddRequest(agent.BaseAddress.GetLeftPart(UriPartial.Authority), "root", HostAgentProcess.Password, agent.Fingerprint, cluster.Id, datacenter.Id)));
            var vm = await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
            {
                Host = host.Id,
                Spec = new VmCreateRequest { Name = "ha-web-1", Image = "tiny", MemoryMiB = 64, Datastore = "shared" },
            }), TaskTimeout);
            await admin.SucceedsAsync<CenterVmDto>(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"), TaskTimeout);

            var page = await lab.LoginAsync(center.BaseAddress, path: $"/ui/inventory/{cluster.Id}?tab=ha");
            await Assertions.Expect(page.Locator("#cluster-ha[data-ready='true']")).ToHaveAttributeAsync("data-enabled", "false");
            await Assertions.Expect(page.Locator("#ha-off")).ToBeVisibleAsync();

            // Edit vSphere HA: on, with the default of one host failure tolerated — which a one-host cluster cannot
            // tolerate: the Center's refusal shows on the field, and nothing changes.
            await page.ClickAsync("#action-edit-ha");
            await Assertions.Expect(page.Locator("#ha-form")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#ha-heartbeat-shared")).ToBeCheckedAsync();
            await page.Locator("#ha-enabled").CheckAsync();
            await Assertions.Expect(page.Locator("#ha-failures")).ToHaveValueAsync("1");
            await page.ClickAsync("#ha-ok");
            var refusal = page.Locator("#ha-dialog").GetByText("host failures tolerated (1) must be fewer than the cluster's hosts (1)");
            await Assertions.Expect(refusal).ToBeVisibleAsync();
            await WebLab.ScreenshotAsync(page, "cluster-ha-edit-refused");
            Assert.False((await admin.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster.Id}/ha")).As<ClusterHaStatusDto>().Settings.Enabled);

            await page.FillAsync("#ha-failures", "0");
            await Assertions.Expect(refusal).ToBeHiddenAsync();
            await page.ClickAsync("#ha-ok");
            await Assertions.Expect(page.Locator("#ha-dialog")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

            // The tab follows: HA on, the only host elected master, the running VM protected at medium priority.
            await Assertions.Expect(page.Locator("#cluster-ha")).ToHaveAttributeAsync("data-enabled", "true");
            await Assertions.Expect(page.GetByTestId($"ha-host-{host.Id}")).ToHaveAttributeAsync("data-state", HaHostStates.Master, Slow);
            await Assertions.Expect(page.GetByTestId("ha-master")).ToHaveAttributeAsync("data-host-id", host.Id);
            var row = page.Locator($"#ha-vms tr[data-vm-id='{vm.Id}']");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-protection", HaVmProtectionStates.Protected, Slow);
            await Assertions.Expect(row).ToHaveAttributeAsync("data-priority", HaRestartPriorities.Medium);
            await Assertions.Expect(page.GetByTestId("ha-admission-failover")).ToContainTextAsync("0 host failure(s)");
            await WebLab.ScreenshotAsync(page, "cluster-ha");
            Assert.Equal(host.Id, (await admin.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster.Id}/ha")).As<ClusterHaStatusDto>().MasterHostId);

            // The host's Summary says it is the master.
            await page.GotoAsync($"/ui/inventory/{host.Id}");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("summary-ha-state")).ToHaveAttributeAsync("data-state", HaHostStates.Master, Slow);

            // Edit HA Overrides on the VM: a heartbeat timeout out of range is refused in the dialog, then high priority is set.
            await page.GotoAsync($"/ui/inventory/{vm.Id}");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("summary-ha-state")).ToHaveAttributeAsync("data-state", HaVmProtectionStates.Protected, Slow);
            await page.ClickAsync("#action-edit-vm-ha");
            await Assertions.Expect(page.Locator("#vm-ha-form")).ToBeVisibleAsync();
            await page.FillAsync("#vm-ha-timeout", "2");
            await page.ClickAsync("#vm-ha-priority-high");
            await page.ClickAsync("#vm-ha-ok");
            await Assertions.Expect(page.Locator("#vm-ha-dialog").GetByText("the heartbeat timeout is 5 to 3600 seconds, not 2")).ToBeVisibleAsync();
            await page.FillAsync("#vm-ha-timeout", "45");
            await WebLab.ScreenshotAsync(page, "vm-ha-overrides");
            await page.ClickAsync("#vm-ha-ok");
            await Assertions.Expect(page.Locator("#vm-ha-dialog")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("summary-ha-priority")).ToHaveAttributeAsync("data-priority", HaRestartPriorities.High);
            await Assertions.Expect(page.GetByTestId("summary-ha-monitoring")).ToContainTextAsync("45 s");
            Assert.Equal(HaRestartPriorities.High, (await admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>().RestartPriority);

            // And the cluster's view shows the VM's new priority.
            await page.GotoAsync($"/ui/inventory/{cluster.Id}?tab=ha");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator($"#ha-vms tr[data-vm-id='{vm.Id}']")).ToHaveAttributeAsync("data-priority", HaRestartPriorities.High, Slow);
            await page.Context.CloseAsync();
        }
        finally
        {
            if (admin is not null && clusterId is not null)
            {
                // Off first: the agent unprotects its VMs, revokes its lease and stops its heartbeat process.
                var off = await admin.SendAsync(HttpMethod.Put, $"/api/clusters/{clusterId}/ha", new ClusterHaRequest(false));
                output.WriteLine($"HA off: {off.Status}");
            }

            admin?.Dispose();
            if (center is not null)
            {
                await center.DisposeAsync();
            }

            // Kills the agent, its QEMUs and its heartbeat process (were HA still on), before their files go.
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }
    }
}
