using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>
/// The VM toolbar's Take Snapshot and Manage Snapshots against a real host: a disk snapshot of the powered-off VM (no
/// memory to include), a memory snapshot of it running, the tree with the current one marked, revert and delete
/// confirmed, each a task in Recent Tasks.
/// </summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class SnapshotTests(WebLab lab)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Snapshot_TakenInTheDialog_ThenRevertedInManageSnapshots_TasksSucceed_AndTheTreeMarksItCurrent()
    {
        var vm = await CreateAsync("snap");
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}");
            await Assertions.Expect(page.Locator("#recent-tasks")).ToHaveAttributeAsync("data-loaded", "true");

            // Powered off: a disk snapshot only, the memory box disabled and saying why.
            await page.ClickAsync("#action-take-snapshot");
            await Assertions.Expect(page.Locator("#snapshot-memory-row")).ToHaveAttributeAsync("data-memory-available", "false");
            await Assertions.Expect(page.Locator("#snapshot-memory-help")).ToContainTextAsync("no memory to include");
            await Assertions.Expect(page.Locator("#snapshot-name")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^VM Snapshot "));
            await page.FillAsync("#snapshot-name", "before");
            await page.FillAsync("#snapshot-description", "clean install");
            await WebLab.ScreenshotAsync(page, "vm-take-snapshot");
            await page.ClickAsync("#snapshot-ok");
            await Assertions.Expect(page.Locator("#snapshot-dialog")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await ExpectTaskAsync(page, "Create virtual machine snapshot", vm.Name, 1);

            // Running: the memory is included by default, and the name "before" is taken.
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"), TaskTimeout);
            await lab.Admin.WaitForTickAsync(vm.Id, 2);
            await Assertions.Expect(page.Locator("#action-power-off")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await page.ClickAsync("#action-take-snapshot");
            await Assertions.Expect(page.Locator("#snapshot-memory-row")).ToHaveAttributeAsync("data-memory-available", "true");
            await Assertions.Expect(page.Locator("#snapshot-memory-row input[type=checkbox]")).ToBeCheckedAsync();
            await page.FillAsync("#snapshot-name", "before");
            await page.ClickAsync("#snapshot-ok");
            await Assertions.Expect(page.Locator("#snapshot-dialog")).ToContainTextAsync($"VM '{vm.Name}' already has a snapshot 'before'");
            await page.FillAsync("#snapshot-name", "running");
            await page.ClickAsync("#snapshot-ok");
            await Assertions.Expect(page.Locator("#snapshot-dialog")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await ExpectTaskAsync(page, "Create virtual machine snapshot", vm.Name, 2);

            // The tree: "running" under "before", and the VM is there now.
            await page.ClickAsync("#action-manage-snapshots");
            var before = page.Locator("#snapshots-tree tr[data-snapshot-name='before']");
            var running = page.Locator("#snapshots-tree tr[data-snapshot-name='running']");
            await Assertions.Expect(before).ToHaveAttributeAsync("data-depth", "0");
            await Assertions.Expect(before).ToContainTextAsync("clean install");
            await Assertions.Expect(running).ToHaveAttributeAsync("data-depth", "1");
            await Assertions.Expect(running).ToHaveAttributeAsync("data-current", "true");
            await Assertions.Expect(running).ToContainTextAsync("disks and memory");
            await Assertions.Expect(before).ToHaveAttributeAsync("data-current", "false");
            await WebLab.ScreenshotAsync(page, "vm-manage-snapshots");

            // Revert to the disk snapshot, confirmed: the VM is powered off on those disks, the tree marks "before".
            var beforeId = await before.GetAttributeAsync("data-snapshot-id");
            await page.ClickAsync($"#snapshot-revert-{beforeId}");
            await Assertions.Expect(page.Locator("#confirm-message")).ToContainTextAsync("'before'");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(before).ToHaveAttributeAsync("data-current", "true", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#snapshots-error")).ToHaveCountAsync(0);
            await ExpectTaskAsync(page, "Revert to snapshot", vm.Name, 1);
            var reverted = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
            Assert.Equal("poweredOff", reverted.PowerState);
            var tree = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}/snapshots")).As<SnapshotTreeDto>();
            Assert.Equal(int.Parse(beforeId!, System.Globalization.CultureInfo.InvariantCulture), tree.CurrentId);

            // Delete the other one, confirmed: the tree keeps "before".
            var runningId = await running.GetAttributeAsync("data-snapshot-id");
            await page.ClickAsync($"#snapshot-delete-{runningId}");
            await page.ClickAsync("#confirm-ok");
            await Assertions.Expect(running).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Assertions.Expect(before).ToHaveAttributeAsync("data-current", "true");
            await ExpectTaskAsync(page, "Remove snapshot", vm.Name, 1);
            await page.ClickAsync("#snapshots-close");
            await Assertions.Expect(page.GetByTestId("summary-power")).ToContainTextAsync("Powered off", new() { Timeout = 30_000 });
            await page.Context.CloseAsync();
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    [Fact]
    public async Task Viewer_SeesSnapshotCloneAndTemplateActionsDisabled_WithThePrivilegeTheyLack()
    {
        var vm = await CreateAsync("snap-ro");
        try
        {
            var page = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, $"/ui/inventory/{vm.Id}");
            foreach (var (id, reason) in new[]
            {
                ("#action-take-snapshot", $"You lack VirtualMachine.State.CreateSnapshot on {vm.Name}"),
                ("#action-manage-snapshots", $"You lack VirtualMachine.State.RevertToSnapshot and VirtualMachine.State.RemoveSnapshot on {vm.Name}"),
                ("#action-clone", $"You lack VirtualMachine.Provisioning.Clone on {vm.Name}"),
                ("#action-mark-template", $"You lack VirtualMachine.Provisioning.MarkAsTemplate on {vm.Name}"),
            })
            {
                await Assertions.Expect(page.Locator(id)).ToBeDisabledAsync();
                await Assertions.Expect(page.Locator(id)).ToHaveAttributeAsync("data-reason", reason);
            }

            await page.Context.CloseAsync();
            using var viewer = lab.Center.Client(WebLab.ViewerUser, WebLab.ViewerPassword);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/snapshots", new SnapshotCreateRequest("sneaky"))).Status);
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    /// <summary>Waits for <paramref name="count"/> rows of that task on the VM in Recent Tasks, all succeeded.</summary>
    internal static async Task ExpectTaskAsync(IPage page, string taskName, string vmName, int count)
    {
        var rows = page.Locator("#recent-tasks tr[data-task-id]").Filter(new() { HasText = taskName }).Filter(new() { HasText = vmName });
        await Assertions.Expect(rows).ToHaveCountAsync(count, new() { Timeout = 30_000 });
        for (var i = 0; i < count; i++)
        {
            await Assertions.Expect(rows.Nth(i)).ToHaveAttributeAsync("data-task-state", "success", new() { Timeout = 60_000 });
        }
    }

    /// <summary>A powered-off tiny VM with one small qcow2 disk (snapshots live in the VM's disks).</summary>
    private async Task<CenterVmDto> CreateAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        return await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Cluster = WebLab.Cluster,
            Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = 128, Disks = [new VmDiskRequest("16M")] },
        }), TaskTimeout);
    }
}
