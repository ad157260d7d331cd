using System.Net;
using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>The object toolbar's actions: the New VM wizard, power operations, Edit Settings, delete, and what a read-only user sees.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed partial class ActionsTests(WebLab lab)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Wizard_CreatesVmInCluster_ThenToolbarPowersItOn()
    {
        const string name = "act-wizard-1";
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{lab.ClusterObject.Id}");
            await page.ClickAsync("#action-new-vm");
            await page.FillAsync("#wizard-name", name);
            await NextAsync(page, "ComputeResource");
            await Assertions.Expect(Checked(page, $"wizard-compute-{lab.ClusterObject.Id}")).ToBeVisibleAsync();
            await NextAsync(page, "Storage");
            await NextAsync(page, "Hardware");
            await page.FillAsync("#wizard-memory", "128");
            await page.Locator("#wizard-guest-agent").CheckAsync();
            await NextAsync(page, "DisksAndNetworks");
            await NextAsync(page, "BootImage");
            await Assertions.Expect(Checked(page, "wizard-image-tiny")).ToBeVisibleAsync();
            await NextAsync(page, "Ready");
            await Assertions.Expect(page.Locator("#wizard-summary")).ToContainTextAsync(name);
            await Assertions.Expect(page.Locator("#wizard-summary-guest-agent")).ToHaveTextAsync("on");
            await WebLab.ScreenshotAsync(page, "new-vm-wizard");
            await page.ClickAsync("#wizard-finish");

            // The dialog follows the task to the new VM's page.
            await page.WaitForURLAsync(VmPage(), new() { Timeout = 90_000 });
            var vmId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
            var created = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vmId}")).As<CenterVmDto>();
            Assert.Equal(name, created.Name);
            Assert.Equal(128, created.MemoryMiB);
            Assert.Equal("poweredOff", created.PowerState);

            // The guest agent option reached the host: Edit Settings reads the VM's configuration from it.
            await page.ClickAsync("#action-edit");
            await Assertions.Expect(page.Locator("#edit-guest-agent")).ToBeCheckedAsync();
            await Assertions.Expect(page.Locator("#edit-guest-agent")).ToBeEnabledAsync();
            await page.ClickAsync("#edit-cancel");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            var powerOn = page.Locator("#action-power-on");
            await Assertions.Expect(powerOn).ToBeEnabledAsync();
            await powerOn.ClickAsync();
            await Assertions.Expect(page.GetByText($"Power On {name}: task queued")).ToBeVisibleAsync();
            await Eventually.GetAsync(
                async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vmId}")).As<CenterVmDto>(),
                vm => vm.PowerState == "poweredOn",
                TaskTimeout,
                $"{name} powered on");
            // The toolbar follows the task: Power Off becomes available, Power On does not.
            await Assertions.Expect(page.Locator("#action-power-off")).ToBeEnabledAsync();
            await Assertions.Expect(powerOn).ToBeDisabledAsync();

            // Guest hardware, like the rest of Edit Settings: not changeable while the VM runs.
            await Assertions.Expect(page.Locator("#action-edit")).ToBeDisabledAsync();
        }
        finally
        {
            await DeleteVmsAsync(name);
        }
    }

    [Fact]
    public async Task Wizard_ShowsDuplicateNameAndZeroMemoryOnTheirFields_AndCreatesNothing()
    {
        const string existing = "act-dup-1";
        const string fresh = "act-wizard-2";
        try
        {
            await CreateVmAsync(existing);
            var page = await lab.LoginAsync(path: $"/ui/inventory/{lab.DatacenterObject.Id}");
            await page.ClickAsync("#action-new-vm");
            await page.FillAsync("#wizard-name", existing);
            await page.ClickAsync("#wizard-next");
            await Assertions.Expect(page.GetByText($"a VM named '{existing}' is already in folder vm")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#wizard-page")).ToHaveAttributeAsync("data-step", "NameAndFolder");

            await page.FillAsync("#wizard-name", fresh);
            await NextAsync(page, "ComputeResource");
            await page.ClickAsync($"#wizard-compute-{lab.ClusterObject.Id}");
            await NextAsync(page, "Storage");
            await NextAsync(page, "Hardware");
            await page.FillAsync("#wizard-memory", "0");
            await page.ClickAsync("#wizard-next");
            await Assertions.Expect(page.GetByText("a VM needs at least 16 MiB of memory (got 0)")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#wizard-page")).ToHaveAttributeAsync("data-step", "Hardware");
            await page.ClickAsync("#wizard-cancel");

            var listed = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms?name={fresh}")).As<PageDto<CenterVmDto>>();
            Assert.Empty(listed.Items);
        }
        finally
        {
            await DeleteVmsAsync(existing, fresh);
        }
    }

    [Fact]
    public async Task Viewer_SeesPowerOffDisabledWithTheReason_AndTheApiRefusesIt()
    {
        const string name = "act-ro-1";
        try
        {
            var vm = await CreateVmAsync(name);
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"), TaskTimeout);

            var page = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, $"/ui/inventory/{vm.Id}");
            var powerOff = page.Locator("#action-power-off");
            await Assertions.Expect(powerOff).ToBeDisabledAsync();
            var reason = $"You lack VirtualMachine.Interact.PowerOff on {name}";
            await Assertions.Expect(powerOff).ToHaveAttributeAsync("data-reason", reason);
            await powerOff.HoverAsync(new() { Force = true });
            await Assertions.Expect(page.Locator(".mud-tooltip").GetByText(reason)).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#action-delete")).ToBeDisabledAsync();
            await WebLab.ScreenshotAsync(page, "actions-readonly");

            using var viewer = lab.Center.Client(WebLab.ViewerUser, WebLab.ViewerPassword);
            var refused = await viewer.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off");
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        finally
        {
            await DeleteVmsAsync(name);
        }
    }

    [Fact]
    public async Task EditSettings_ChangesMemory_ThenDeleteConfirmationNamesTheDisks_AndDeletes()
    {
        const string name = "act-del-1";
        try
        {
            var vm = await CreateVmAsync(name, new VmDiskRequest("1G"));
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}");

            await page.ClickAsync("#action-edit");
            await Assertions.Expect(page.Locator("#edit-disks")).ToContainTextAsync($"{name}");
            await page.FillAsync("#edit-memory", "0");
            await page.ClickAsync("#edit-save");
            await Assertions.Expect(page.GetByText("a VM needs at least 16 MiB of memory (got 0)")).ToBeVisibleAsync();
            await page.FillAsync("#edit-memory", "256");
            await Assertions.Expect(page.GetByText("a VM needs at least 16 MiB of memory (got 0)")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#edit-guest-agent")).Not.ToBeCheckedAsync();
            await page.Locator("#edit-guest-agent").CheckAsync();
            await WebLab.ScreenshotAsync(page, "edit-settings");
            await page.ClickAsync("#edit-save");
            await Eventually.GetAsync(
                async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>(),
                v => v.MemoryMiB == 256,
                TaskTimeout,
                $"{name} reconfigured to 256 MiB");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            // Sent with the memory change, and shown again from the host's configuration.
            await page.ClickAsync("#action-edit");
            await Assertions.Expect(page.Locator("#edit-guest-agent")).ToBeCheckedAsync();
            await page.ClickAsync("#edit-cancel");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            await page.ClickAsync("#action-delete");
            await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync(name);
            await Assertions.Expect(page.Locator("#confirm-items")).ToContainTextAsync(".qcow2");
            await page.ClickAsync("#confirm-ok");
            await Eventually.TrueAsync(
                async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).Status == HttpStatusCode.NotFound,
                TaskTimeout,
                $"{name} deleted");
            await page.WaitForURLAsync(new Regex("/ui/inventory/group-\\d+$"));
        }
        finally
        {
            await DeleteVmsAsync(name);
        }
    }

    [Fact]
    public async Task AddHost_ConfirmsTheFingerprint_AddsTheHost_MaintenanceInAndOut_RemovesIt_AndNewClusterRefusesADuplicateNameInline()
    {
        await using var agent = await HostAgentProcess.StartAsync();
        var address = agent.BaseAddress.GetLeftPart(UriPartial.Authority);
        string? hostId = null;
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{lab.DatacenterObject.Id}");
            await page.ClickAsync("#action-new-cluster");
            await page.FillAsync("#newobj-name", WebLab.Cluster);
            await page.ClickAsync("#newobj-create");
            await Assertions.Expect(page.GetByText($"a cluster named '{WebLab.Cluster}' already exists")).ToBeVisibleAsync();
            await page.ClickAsync("#newobj-cancel");

            await page.ClickAsync("#action-add-host");
            await page.FillAsync("#addhost-address", address);
            await page.FillAsync("#addhost-password", "");
            await page.ClickAsync("#addhost-submit");
            await Assertions.Expect(page.GetByText("the password of the host's administrator is required")).ToBeVisibleAsync();
            await page.FillAsync("#addhost-password", HostAgentProcess.Password);
            await page.ClickAsync("#addhost-submit");
            var shown = await page.Locator("#addhost-fingerprint").InnerTextAsync();
            Assert.Equal(Hex(agent.Fingerprint), Hex(shown));
            await page.ClickAsync("#addhost-confirm");
            await Assertions.Expect(page.Locator("#addhost-fingerprint")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByText($"Host {address} added")).ToBeVisibleAsync();

            var hosts = (await lab.Admin.SendAsync(HttpMethod.Get, "/api/hosts")).As<PageDto<HostDto>>();
            var added = Assert.Single(hosts.Items, h => h.Address == address);
            hostId = added.Id;
            Assert.Equal("connected", added.ConnectionState);
            Assert.Null(added.Cluster);

            // Its page's toolbar: maintenance mode in and out, then remove (with confirmation).
            await page.GotoAsync($"/ui/inventory/{hostId}");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#action-exit-maintenance")).ToBeDisabledAsync();
            await page.ClickAsync("#action-enter-maintenance");
            await WaitHostAsync(hostId, h => h.InMaintenanceMode);
            await Assertions.Expect(page.Locator("#action-exit-maintenance")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await ClickClearOfSnackbarsAsync(page, "#action-exit-maintenance");
            await WaitHostAsync(hostId, h => !h.InMaintenanceMode);
            await Assertions.Expect(page.Locator("#action-enter-maintenance")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await page.ClickAsync("#action-remove-host");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/inventory/datacenter-"), new() { Timeout = 60_000 });
            Assert.DoesNotContain((await lab.Admin.SendAsync(HttpMethod.Get, "/api/hosts")).As<PageDto<HostDto>>().Items, h => h.Id == hostId);
            hostId = null;
        }
        finally
        {
            if (hostId is not null)
            {
                await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/hosts/{hostId}"), TaskTimeout);
            }
        }
    }

    private async Task WaitHostAsync(string hostId, Func<HostDto, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TaskTimeout);
        while (!condition((await lab.Admin.SendAsync(HttpMethod.Get, $"/api/hosts/{hostId}")).As<HostDto>()))
        {
            await Task.Delay(250, deadline.Token);
        }
    }

    /// <summary>
    /// Clicks once the snackbars are gone: they sit over the toolbar's right end (where a wrapped toolbar puts Exit
    /// Maintenance Mode), and one under the mouse — left where the previous click was — never times out.
    /// </summary>
    private static async Task ClickClearOfSnackbarsAsync(IPage page, string selector)
    {
        await page.Mouse.MoveAsync(10, 400);
        await Assertions.Expect(page.Locator("#mud-snackbar-container .mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await page.ClickAsync(selector);
    }

    private static string Hex(string fingerprint) => fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>A MudRadio marks its choice on the span around its input.</summary>
    private static ILocator Checked(IPage page, string radioId) => page.Locator($"span.mud-checked:has(#{radioId})");

    private static async Task NextAsync(IPage page, string expectedStep)
    {
        await page.ClickAsync("#wizard-next");
        await Assertions.Expect(page.Locator("#wizard-page")).ToHaveAttributeAsync("data-step", expectedStep);
    }

    private async Task<CenterVmDto> CreateVmAsync(string name, params VmDiskRequest[] disks) =>
        await lab.Admin.SucceedsAsync<CenterVmDto>(
            await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
            {
                Cluster = lab.ClusterObject.Id,
                Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = 128, Disks = disks },
            }),
            TaskTimeout);

    /// <summary>Powers off and deletes the test's VMs, whatever state the test left them in.</summary>
    private async Task DeleteVmsAsync(params string[] names)
    {
        foreach (var name in names)
        {
            var page = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms?name={name}")).As<PageDto<CenterVmDto>>();
            foreach (var vm in page.Items.Where(v => v.Name == name))
            {
                if (vm.PowerState != "poweredOff")
                {
                    await lab.Admin.WaitAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"), TaskTimeout);
                }

                await lab.Admin.WaitAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"), TaskTimeout);
            }
        }
    }

    [GeneratedRegex("/ui/inventory/vm-\\d+$")]
    private static partial Regex VmPage();
}
