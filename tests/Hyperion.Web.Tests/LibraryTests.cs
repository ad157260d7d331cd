using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Hyperion.Web.Tests;

/// <summary>
/// The Content Libraries page against real hosts: a qcow2 made with qemu-img uploaded from the browser to the host
/// chosen among two, deployed as a VM (a Center task), exported as an OVA through the VM's action (a browser
/// download), and the item deleted; an ISO's delete refused while a VM deployed from it has it attached; a text file
/// named .ova refused with the host's reason, leaving no item.
/// </summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class LibraryTests(WebLab lab, ITestOutputHelper output)
{
    [Fact]
    public async Task UploadedQcow2_IsListedDeployedAndDeleted_TheVmExportsAsAnOva_AnAttachedIsoStays_AndABadUploadLeavesNothing()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var item = $"base-{suffix}";
        var bad = $"bad-{suffix}";
        var vmName = $"lib-{suffix}";
        var isoItem = $"installer-{suffix}";
        var isoVm = $"cd-{suffix}";
        using var files = new TestDirectory("hylib");
        var image = files.Combine($"{item}.qcow2");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", image, "16M");
        var text = files.Combine($"{bad}.ova");
        await File.WriteAllTextAsync(text, "this is not a tar archive\n");
        var iso = files.Combine($"{isoItem}.iso");
        await ExternalTool.RunAsync("genisoimage", "-quiet", "-o", iso, "-V", "INSTALLER", text);
        try
        {
            var page = await lab.LoginAsync(path: "/ui/library");
            await Assertions.Expect(page.Locator("#library-table")).ToHaveAttributeAsync("data-loaded", "true");
            await Assertions.Expect(page.Locator("#library-filter-host")).ToBeVisibleAsync();

            // Import: the name follows the file; two hosts are connected, so one is chosen.
            await ChooseFileAsync(page, image, item);
            await Assertions.Expect(page.Locator("#library-file-name")).ToContainTextAsync($"{item}.qcow2");
            await page.ClickAsync("#library-import-ok");
            await Assertions.Expect(page.Locator("#library-import-dialog")).ToContainTextAsync("hosts are connected: choose the one to keep the item");
            await ChooseHostAsync(page);
            await WebLab.ScreenshotAsync(page, "library-import");
            await page.ClickAsync("#library-import-ok");
            await Assertions.Expect(page.Locator("#library-import-dialog")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            var row = page.Locator($"#library-table tr[data-item='{item}'][data-host='{lab.Host.Id}']");
            await Assertions.Expect(row).ToContainTextAsync("Image");
            await Assertions.Expect(row).ToContainTextAsync("qcow2");
            var listed = (await lab.Admin.SendAsync(HttpMethod.Get, "/api/library")).As<List<CenterLibraryItemDto>>();
            Assert.Equal((lab.Host.Id, "disk"), listed.Where(i => i.Item.Name == item).Select(i => (i.HostId, i.Item.Type)).Single());

            // The filter finds it by name and hides it by type.
            await page.FillAsync("#library-filter", item);
            await Assertions.Expect(page.Locator("#library-table tr[data-item]")).ToHaveCountAsync(1);
            await WebLab.ScreenshotAsync(page, "content-libraries");

            // Deploy: a Center task that records the new VM in the inventory.
            await row.Locator($"#library-deploy-{lab.Host.Id}-{item}").ClickAsync();
            await Assertions.Expect(page.Locator("#library-deploy-from")).ToContainTextAsync(lab.Host.Id);
            await page.FillAsync("#library-deploy-name", vmName);
            await page.ClickAsync("#library-deploy-ok");
            await Assertions.Expect(page.Locator("#library-deploy-dialog")).ToHaveCountAsync(0, new() { Timeout = 120_000 });
            await SnapshotTests.ExpectTaskAsync(page, "Deploy library item", vmName, 1);
            var vm = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms?name={vmName}")).As<PageDto<CenterVmDto>>().Items.Single(v => v.Name == vmName);
            Assert.Equal((lab.Host.Id, "poweredOff"), (vm.HostId, vm.PowerState));

            // Export OVF Template: the browser downloads an OVA (a tar whose first member is the descriptor).
            await page.GotoAsync($"/ui/inventory/{vm.Id}");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#object-name")).ToHaveTextAsync(vmName);
            await Assertions.Expect(page.GetByTestId($"tree-row-{vm.Id}")).ToBeVisibleAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#action-export-ovf"));
            var ova = files.Combine("export.ova");
            await download.SaveAsAsync(ova);
            Assert.Null(await download.FailureAsync());
            Assert.Equal($"{vmName}.ova", download.SuggestedFilename);
            Assert.EndsWith(".ovf", await FirstTarMemberAsync(ova), StringComparison.Ordinal);
            await DeleteVmsAsync(vmName);

            // Delete, confirmed: gone from the list and from the host.
            await page.GotoAsync("/ui/library");
            await WebLab.WaitInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#library-table")).ToHaveAttributeAsync("data-loaded", "true");
            await page.ClickAsync($"#library-delete-{lab.Host.Id}-{item}");
            await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync($"Delete library item {item}");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(page.Locator($"#library-table tr[data-item='{item}']")).ToHaveCountAsync(0);
            Assert.DoesNotContain((await lab.Admin.SendAsync(HttpMethod.Get, "/api/library")).As<List<CenterLibraryItemDto>>(), i => i.Item.Name == item);

            // An ISO is attached to the VM deployed from it: its delete is refused in the confirmation until the VM is gone.
            await ChooseFileAsync(page, iso, isoItem);
            await ChooseHostAsync(page);
            await page.ClickAsync("#library-import-ok");
            await Assertions.Expect(page.Locator($"#library-table tr[data-item='{isoItem}']")).ToContainTextAsync("ISO image", new() { Timeout = 60_000 });
            await page.ClickAsync($"#library-deploy-{lab.Host.Id}-{isoItem}");
            await Assertions.Expect(page.Locator("#library-deploy-from")).ToContainTextAsync("The ISO is attached as its CD-ROM");
            await page.FillAsync("#library-deploy-name", isoVm);
            await page.ClickAsync("#library-deploy-ok");
            await Assertions.Expect(page.Locator("#library-deploy-dialog")).ToHaveCountAsync(0, new() { Timeout = 120_000 });
            await page.ClickAsync($"#library-delete-{lab.Host.Id}-{isoItem}");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(page.Locator("#confirm-error")).ToHaveAttributeAsync("data-code", "library.item-in-use");
            await Assertions.Expect(page.Locator("#confirm-error")).ToContainTextAsync(isoVm);
            await page.ClickAsync("#confirm-cancel");
            await DeleteVmsAsync(isoVm);
            await page.ClickAsync($"#library-delete-{lab.Host.Id}-{isoItem}");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(page.Locator($"#library-table tr[data-item='{isoItem}']")).ToHaveCountAsync(0);

            // A text file named .ova: the host's refusal is shown in the dialog, and no item is left.
            await ChooseFileAsync(page, text, bad);
            await ChooseHostAsync(page);
            await page.ClickAsync("#library-import-ok");
            var refusal = page.Locator("#library-import-error");
            await Assertions.Expect(refusal).ToHaveAttributeAsync("data-code", "library.invalid-content", new() { Timeout = 60_000 });
            await Assertions.Expect(refusal).ToContainTextAsync($"'{bad}.ova' is not an OVA (tar) package");
            await WebLab.ScreenshotAsync(page, "library-import-refused");
            await page.ClickAsync("#library-import-cancel");
            Assert.DoesNotContain((await lab.Admin.SendAsync(HttpMethod.Get, "/api/library")).As<List<CenterLibraryItemDto>>(), i => i.Item.Name == bad);
            await Assertions.Expect(page.Locator($"#library-table tr[data-item='{bad}']")).ToHaveCountAsync(0);
            await page.Context.CloseAsync();

            // A read-only user sees why there is nothing to do.
            var viewer = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, "/ui/library");
            await Assertions.Expect(viewer.Locator("#library-import")).ToHaveAttributeAsync("data-reason", new Regex(@"^You lack ContentLibrary\.AddLibraryItem on \S+:\d+ \(host-\d+\)$"));
            await viewer.Context.CloseAsync();
        }
        finally
        {
            await DeleteVmsAsync(vmName);
            await DeleteVmsAsync(isoVm);
            string[] items = [item, bad, isoItem];
            foreach (var left in (await lab.Admin.SendAsync(HttpMethod.Get, "/api/library")).As<List<CenterLibraryItemDto>>().Where(i => items.Contains(i.Item.Name)))
            {
                var deleted = await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/library/{left.Item.Name}?host={left.HostId}");
                output.WriteLine($"left-over library item {left.Item.Name} on {left.HostId} deleted: {deleted.Status}");
            }
        }
    }

    /// <summary>Opens the Import dialog with <paramref name="file"/> chosen; the item's name follows the file's.</summary>
    private static async Task ChooseFileAsync(IPage page, string file, string expectedName)
    {
        await page.ClickAsync("#library-import");
        await Assertions.Expect(page.Locator("#library-file-row")).ToHaveAttributeAsync("data-ready", "true");
        await page.Locator("#library-file").SetInputFilesAsync(file);
        await Assertions.Expect(page.Locator("#library-name")).ToHaveValueAsync(expectedName);
    }

    /// <summary>Picks the lab's first host in the Import dialog (two are connected) and waits for the list to close.</summary>
    private async Task ChooseHostAsync(IPage page)
    {
        await AdminTests.ChooseAsync(page, "library-host", $"({lab.Host.Id})");
        await Assertions.Expect(page.Locator(".library-host-list.mud-popover-open")).ToHaveCountAsync(0);
    }

    private async Task DeleteVmsAsync(string name)
    {
        foreach (var vm in (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms?name={name}")).As<PageDto<CenterVmDto>>().Items.Where(v => v.Name == name))
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    /// <summary>The name of a ustar archive's first member (the first 100 bytes of its first header).</summary>
    private static async Task<string> FirstTarMemberAsync(string path)
    {
        var header = new byte[512];
        await using var file = File.OpenRead(path);
        await file.ReadExactlyAsync(header);
        return Encoding.ASCII.GetString(header, 0, 100).TrimEnd('\0');
    }
}
