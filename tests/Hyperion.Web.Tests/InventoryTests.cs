using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>The inventory tree, object pages, the home dashboard and search, as an administrator and as a read-only user.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class InventoryTests(WebLab lab)
{
    [Fact]
    public async Task Tree_ShowsDatacenterClusterHost_ClickOpensHostSummary_AndHomeCountsTheInventory()
    {
        var page = await lab.LoginAsync();
        var tree = page.Locator("#inventory-tree");
        await Assertions.Expect(tree.GetByTestId($"tree-node-{lab.DatacenterObject.Id}")).ToHaveTextAsync(WebLab.Datacenter);
        await Assertions.Expect(tree.GetByTestId($"tree-node-{lab.ClusterObject.Id}")).ToHaveTextAsync(WebLab.Cluster);

        await tree.GetByTestId($"tree-toggle-{lab.ClusterObject.Id}").ClickAsync();
        var hostNode = tree.GetByTestId($"tree-node-{lab.Host.Id}");
        await Assertions.Expect(hostNode).ToHaveTextAsync(lab.Host.Name);
        await Assertions.Expect(tree.GetByTestId($"tree-row-{lab.Host.Id}")).ToHaveAttributeAsync("data-state", "connected");

        await hostNode.ClickAsync();
        await page.WaitForURLAsync($"**/ui/inventory/{lab.Host.Id}");
        await Assertions.Expect(page.Locator("#object-name")).ToHaveTextAsync(lab.Host.Name);
        await Assertions.Expect(page.Locator("#object-kind")).ToContainTextAsync("Host");
        await Assertions.Expect(page.GetByTestId("summary-connection")).ToContainTextAsync("Connected");
        await Assertions.Expect(page.GetByTestId("summary-maintenance")).ToHaveTextAsync("No");
        await Assertions.Expect(page.GetByTestId("summary-cluster")).ToHaveTextAsync(WebLab.Cluster);
        await Assertions.Expect(page.GetByTestId("summary-cpu-model")).ToContainTextAsync("cores");
        await Assertions.Expect(tree.GetByTestId($"tree-row-{lab.Host.Id}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await WebLab.ScreenshotAsync(page, "inventory-host");

        // The cluster page: its hosts tab lists both hosts; its summary counts them.
        await tree.GetByTestId($"tree-node-{lab.ClusterObject.Id}").ClickAsync();
        await Assertions.Expect(page.Locator("#object-name")).ToHaveTextAsync(WebLab.Cluster);
        await Assertions.Expect(page.GetByTestId("count-hosts-total")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("summary-ha")).ToContainTextAsync("vSphere HA: off");
        await page.Locator("#tab-hosts").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"host-row-{lab.Host.Id}")).ToContainTextAsync(lab.Host.Name);
        await Assertions.Expect(page.GetByTestId($"host-row-{lab.SecondHost.Id}")).ToContainTextAsync(lab.SecondHost.Name);
        Assert.Contains("tab=hosts", page.Url, StringComparison.Ordinal);

        await page.Locator("#nav-home").ClickAsync();
        await Assertions.Expect(page.Locator("#home-title")).ToHaveTextAsync("Home");
        await Assertions.Expect(page.GetByTestId("count-hosts-connected")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("count-datacenters")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("capacity-cores")).ToContainTextAsync("on 2 hosts");
        await Assertions.Expect(page.GetByTestId("capacity-memory")).ToContainTextAsync("used of");
        await WebLab.ScreenshotAsync(page, "home");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task VmCreatedThroughTheApi_ShowsUpLive_InTheClusterVmsTabAndTheTree_SearchFindsIt_TheViewerSeesIt()
    {
        var name = $"inv-{Guid.NewGuid():N}"[..16];
        var page = await lab.LoginAsync(path: $"/ui/inventory/{lab.ClusterObject.Id}?tab=vms");
        await WebLab.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#panel-vms")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("vm-count")).ToContainTextAsync("VM");
        var tree = page.Locator("#inventory-tree");
        await Assertions.Expect(tree.GetByTestId($"tree-row-{lab.ClusterObject.Id}")).ToHaveAttributeAsync("aria-selected", "true");
        await tree.GetByTestId($"tree-toggle-{lab.ClusterObject.Id}").ClickAsync();
        await Assertions.Expect(tree.GetByTestId($"tree-node-{lab.Host.Id}")).ToBeVisibleAsync();

        CenterVmDto? vm = null;
        try
        {
            vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
            {
                Cluster = WebLab.Cluster,
                Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = 128 },
            }));

            // The Center placed it on one of the cluster's two hosts.
            var hostId = vm.HostId ?? throw new InvalidOperationException($"{name} was placed on no host");

            // No reload: the finished task refreshes the open VMs tab and the tree.
            await Assertions.Expect(page.GetByTestId($"vm-row-{vm.Id}")).ToContainTextAsync(name);
            await page.Locator("#vm-filter").FillAsync(name);
            await Assertions.Expect(page.GetByTestId("vm-count")).ToHaveTextAsync("1 VM");

            await tree.GetByTestId($"tree-toggle-{hostId}").ClickAsync();
            var vmNode = tree.GetByTestId($"tree-node-{vm.Id}").First;
            await Assertions.Expect(vmNode).ToHaveTextAsync(name);
            await Assertions.Expect(tree.GetByTestId($"tree-row-{vm.Id}").First).ToHaveAttributeAsync("data-state", "poweredOff");

            await vmNode.ClickAsync();
            await page.WaitForURLAsync($"**/ui/inventory/{vm.Id}");
            await Assertions.Expect(page.Locator("#object-name")).ToHaveTextAsync(name);
            await Assertions.Expect(page.GetByTestId("summary-power")).ToContainTextAsync("Powered off");
            await Assertions.Expect(page.GetByTestId("summary-cpus")).ToHaveTextAsync("1");
            await Assertions.Expect(page.GetByTestId("summary-memory")).ToHaveTextAsync("128 MiB");
            await Assertions.Expect(page.GetByTestId("summary-host")).ToHaveTextAsync(lab.Host.Name);
            await Assertions.Expect(page.GetByTestId("summary-host").Locator("a")).ToHaveAttributeAsync("href", $"/ui/inventory/{hostId}");
            await Assertions.Expect(page.GetByTestId("summary-boot")).ToHaveTextAsync("image tiny");
            await Assertions.Expect(page.Locator("#summary-disks")).ToBeVisibleAsync();
            await WebLab.ScreenshotAsync(page, "vm-summary");

            // Search from the tree's box.
            await page.Locator("#tree-search").FillAsync(name);
            await Assertions.Expect(page.GetByTestId($"tree-suggestion-{vm.Id}")).ToContainTextAsync(name);
            // (Through the suggestions' "All results" link: Enter in the box does the same, but in full-suite runs it
            // was sometimes not acted on — an open defect, see docs/architecture.md.)
            await page.GetByTestId("tree-suggestion-all").ClickAsync();
            await page.WaitForURLAsync("**/ui/search?q=*", new() { WaitUntil = WaitUntilState.Commit });
            await Assertions.Expect(page.GetByTestId($"search-hit-{vm.Id}")).ToContainTextAsync(name);
            await Assertions.Expect(page.GetByTestId("search-group-vm")).ToContainTextAsync("Virtual Machines (1)");

            // The read-only user sees the same objects.
            var viewer = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword);
            var viewerTree = viewer.Locator("#inventory-tree");
            await Assertions.Expect(viewerTree.GetByTestId($"tree-node-{lab.ClusterObject.Id}")).ToHaveTextAsync(WebLab.Cluster);
            await viewerTree.GetByTestId($"tree-toggle-{lab.ClusterObject.Id}").ClickAsync();
            await viewerTree.GetByTestId($"tree-toggle-{hostId}").ClickAsync();
            await viewerTree.GetByTestId($"tree-node-{vm.Id}").First.ClickAsync();
            await viewer.WaitForURLAsync($"**/ui/inventory/{vm.Id}");
            await Assertions.Expect(viewer.Locator("#object-name")).ToHaveTextAsync(name);
            await Assertions.Expect(viewer.GetByTestId("summary-memory")).ToHaveTextAsync("128 MiB");
            await viewer.GotoAsync($"/ui/search?q={name}");
            await Assertions.Expect(viewer.GetByTestId($"search-hit-{vm.Id}")).ToContainTextAsync(name);

            // Deleted while its page is open: the page says it is gone.
            await viewer.GotoAsync($"/ui/inventory/{vm.Id}");
            await Assertions.Expect(viewer.Locator("#object-name")).ToHaveTextAsync(name);
            await WebLab.WaitInteractiveAsync(viewer);
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"));
            vm = null;
            await Assertions.Expect(viewer.Locator("#object-not-found")).ToBeVisibleAsync();
            await viewer.Context.CloseAsync();
        }
        finally
        {
            if (vm is not null)
            {
                await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"));
            }

            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task UnknownOrMalformedId_ShowsTheNotFoundAlert()
    {
        var page = await lab.LoginAsync(path: "/ui/inventory/vm-999999");
        await Assertions.Expect(page.Locator("#object-not-found")).ToContainTextAsync("no permission");
        await page.GotoAsync("/ui/inventory/not-an-id");
        await Assertions.Expect(page.Locator("#object-not-found")).ToBeVisibleAsync();
        await page.GotoAsync("/ui/inventory/host-999999?tab=vms");
        await Assertions.Expect(page.Locator("#object-not-found")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
