using System.Net;
using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Hyperion.Web.Tests;

/// <summary>
/// Templates in the web client against real hosts: a powered-off VM marked as template (its own icon and label, power
/// and consoles refused with the reason), a customized linked clone deployed from it that boots with its hostname, and
/// the Center's refusal to delete or convert a template a linked clone depends on, shown in the confirmation.
/// </summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed partial class TemplateTests(WebLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MarkedTemplate_DeploysALinkedCustomizedClone_ThatBootsWithItsHostname_NeverPowersOn_AndIsNotDeletedWhileTheCloneNeedsIt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var template = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Cluster = WebLab.Cluster,
            Spec = new VmCreateRequest { Name = $"golden-{suffix}", Image = "tiny", MemoryMiB = 128, Disks = [new VmDiskRequest("16M")] },
        }), TaskTimeout);
        var cloneName = $"web-{suffix}";
        var hostname = $"web-{suffix}.lab.test";
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{template.Id}");
            await Assertions.Expect(page.Locator("#recent-tasks")).ToHaveAttributeAsync("data-loaded", "true");

            // Mark as template, confirmed: the page, the tree and the toolbar say it is one.
            await page.ClickAsync("#action-mark-template");
            await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync(template.Name);
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(page.Locator("#object-state")).ToHaveAttributeAsync("data-state", "template", new() { Timeout = 60_000 });
            await SnapshotTests.ExpectTaskAsync(page, "Mark as template", template.Name, 1);
            await Assertions.Expect(page.Locator("#object-kind")).ToContainTextAsync("VM Template");
            await Assertions.Expect(page.GetByTestId($"tree-row-{template.Id}")).ToHaveAttributeAsync("data-state", "template");
            await Assertions.Expect(page.GetByTestId("summary-template")).ToContainTextAsync("Template");
            Assert.True((await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{template.Id}")).As<CenterVmDto>().Template);

            // Never powered on: the toolbar and the console tabs say why.
            foreach (var id in new[] { "#action-power-on", "#action-take-snapshot", "#action-edit" })
            {
                await Assertions.Expect(page.Locator(id)).ToBeDisabledAsync();
            }

            await Assertions.Expect(page.Locator("#action-power-on")).ToHaveAttributeAsync("data-reason", "a template is never powered on");
            await Assertions.Expect(page.Locator("#tab-console")).ToHaveAttributeAsync("data-reason", "a template is never powered on");
            await Assertions.Expect(page.Locator(".mud-tab.mud-disabled").Filter(new() { HasText = "Console" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#action-clone")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#action-convert-to-vm")).ToBeEnabledAsync();
            await WebLab.ScreenshotAsync(page, "vm-template");

            // Deploy a linked clone, customized and powered on: the dialog follows the task to the new VM's page.
            await page.ClickAsync("#action-deploy");
            await Assertions.Expect(page.Locator("#clone-from")).ToContainTextAsync($"Template {template.Name}");
            await Assertions.Expect(page.Locator($"#clone-host-{template.HostId}")).ToBeCheckedAsync();
            await WebLab.ScreenshotAsync(page, "vm-deploy-dialog");
            await page.FillAsync("#clone-name", template.Name);
            await page.ClickAsync("#clone-ok");
            await Assertions.Expect(page.Locator("#clone-dialog")).ToContainTextAsync($"a VM named '{template.Name}' is already in folder");
            await page.FillAsync("#clone-name", cloneName);
            await page.Locator("#clone-linked").CheckAsync();
            await Assertions.Expect(page.Locator("#clone-datastore-linked")).ToBeVisibleAsync();
            await page.Locator("#clone-power-on").CheckAsync();
            await page.Locator("#clone-customize").CheckAsync();
            await page.FillAsync("#clone-hostname", "bad_name");
            await page.ClickAsync("#clone-ok");
            await Assertions.Expect(page.Locator("#clone-dialog")).ToContainTextAsync("RFC 1123");
            await page.FillAsync("#clone-hostname", hostname);
            await page.FillAsync("#clone-user", "ops");
            await page.FillAsync("#clone-ssh-keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0= ops@lab");
            await WebLab.ScreenshotAsync(page, "vm-deploy-from-template");
            await page.ClickAsync("#clone-ok");
            await page.WaitForURLAsync(url => VmPage().IsMatch(url) && !url.EndsWith($"/{template.Id}", StringComparison.Ordinal), new() { Timeout = 120_000 });
            await WebLab.WaitInteractiveAsync(page);
            var cloneId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
            var clone = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{cloneId}")).As<CenterVmDto>();
            Assert.Equal((cloneName, "poweredOn", false, template.HostId), (clone.Name, clone.PowerState, clone.Template, clone.HostId));
            await Assertions.Expect(page.Locator("#object-name")).ToHaveTextAsync(cloneName);
            await SnapshotTests.ExpectTaskAsync(page, "Clone virtual machine", template.Name, 1);
            await Assertions.Expect(page.GetByTestId("summary-linked-template").Locator("a")).ToHaveAttributeAsync("href", $"/ui/inventory/{template.Id}");
            await Assertions.Expect(page.GetByTestId($"tree-row-{cloneId}")).ToHaveAttributeAsync("data-state", "poweredOn", new() { Timeout = 30_000 });

            // The guest read its customization at first boot.
            // The tiny guest prints what it read from the seed, hostname first, then the user.
            var log = await Eventually.GetAsync(() => lab.Admin.SerialAsync(cloneId), l => l.Contains("cloud-init: user ops", StringComparison.Ordinal),
                TimeSpan.FromSeconds(90), $"{cloneName} reading its customization");
            Assert.Contains($"cloud-init: hostname {hostname}", log, StringComparison.Ordinal);
            await lab.Admin.WaitForTickAsync(cloneId, 2);

            // The template cannot go, nor turn back into a VM, while the clone needs its disks: the confirmation says so.
            await page.GotoAsync($"/ui/inventory/{template.Id}");
            await WebLab.WaitInteractiveAsync(page);
            await page.ClickAsync("#action-delete");
            await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync($"Delete template {template.Name}");
            await page.ClickAsync("#confirm-ok");
            var refusal = page.Locator("#confirm-error");
            await Assertions.Expect(refusal).ToHaveAttributeAsync("data-code", "template.in-use");
            await Assertions.Expect(refusal).ToContainTextAsync("linked clone(s) depend on the disks of");
            await Assertions.Expect(refusal).ToContainTextAsync(cloneName);
            await WebLab.ScreenshotAsync(page, "vm-template-in-use");
            await page.ClickAsync("#confirm-cancel");
            await page.ClickAsync("#action-convert-to-vm");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(refusal).ToHaveAttributeAsync("data-code", "template.in-use");
            await page.ClickAsync("#confirm-cancel");
            Assert.True((await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{template.Id}")).As<CenterVmDto>().Template);

            // Power on is refused by the Center too, not only hidden.
            var powerOn = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{template.Id}/power-on");
            Assert.Equal(HttpStatusCode.Conflict, powerOn.Status);
            Assert.Contains("vm.is-template", powerOn.Body, StringComparison.Ordinal);
            await page.Context.CloseAsync();
        }
        finally
        {
            // Found by name: the test may have failed before it knew the clone's id.
            foreach (var deployed in (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms?name={cloneName}")).As<PageDto<CenterVmDto>>().Items.Where(v => v.Name == cloneName))
            {
                await LiveVms.DeleteAsync(lab, deployed);
            }

            await RemoveTemplateAsync(template);
        }
    }

    /// <summary>Turns the template back into a VM and deletes it; reported, not thrown, when that fails (it would hide the test's own failure).</summary>
    private async Task RemoveTemplateAsync(CenterVmDto template)
    {
        try
        {
            var current = await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{template.Id}");
            if (current.Status == HttpStatusCode.NotFound)
            {
                return;
            }

            if (current.As<CenterVmDto>().Template)
            {
                await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{template.Id}/mark-vm"), TaskTimeout);
            }

            await LiveVms.DeleteAsync(lab, template);
        }
        catch (InvalidOperationException ex)
        {
            output.WriteLine($"{template.Name} ({template.Id}) could not be removed: {ex.Message}");
        }
    }

    [GeneratedRegex("/ui/inventory/vm-\\d+$")]
    private static partial Regex VmPage();
}
