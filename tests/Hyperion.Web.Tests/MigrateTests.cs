using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Hyperion.Web.Tests;

/// <summary>
/// The VM toolbar's Migrate: a running VM on the lab's shared datastore moves live to the other host, the task shows in
/// Recent Tasks, the Summary follows it and the guest never stops; a read-only user gets the reason instead; and what
/// the dialog or the Center refuses is said in the dialog.
/// </summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class MigrateTests(WebLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A 128 MiB guest over loopback under TCG: seconds normally; generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task RunningVm_MigratesToTheOtherHost_TaskSucceeds_SummaryShowsTheNewHost_AndTheGuestKeepsTicking()
    {
        var vm = await CreateOnSharedAsync("mig-live", lab.Host.Id, powerOn: true);
        try
        {
            await lab.Admin.WaitForTickAsync(vm.Id, 3);
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}");
            var summaryHost = page.GetByTestId("summary-host").Locator("a");
            await Assertions.Expect(summaryHost).ToHaveAttributeAsync("href", $"/ui/inventory/{lab.Host.Id}");

            var migrate = page.Locator("#action-migrate");
            await Assertions.Expect(migrate).ToBeEnabledAsync();
            await migrate.ClickAsync();
            await Assertions.Expect(page.Locator("#migrate-from")).ToContainTextAsync("vMotion");
            // The VM's own host is no destination; the other one is, and the files stay on the shared datastore by default.
            await Assertions.Expect(page.Locator($"#migrate-host-{lab.SecondHost.Id}")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator($"#migrate-host-{lab.Host.Id}")).ToHaveCountAsync(0);
            await page.ClickAsync($"#migrate-host-{lab.SecondHost.Id}");
            await Assertions.Expect(Checked(page, $"migrate-host-{lab.SecondHost.Id}")).ToBeVisibleAsync();
            await Assertions.Expect(Checked(page, "migrate-datastore-keep")).ToContainTextAsync(WebLab.SharedDatastore);
            await Assertions.Expect(Checked(page, "migrate-priority-high")).ToBeVisibleAsync();
            await WebLab.ScreenshotAsync(page, "vm-migrate");

            var before = TinyGuestLog.LastTick(await lab.Admin.SerialAsync(vm.Id));
            await page.ClickAsync("#migrate-ok");
            await Assertions.Expect(page.Locator("#migrate-dialog")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

            // Recent Tasks shows the migration, which ends in success.
            var row = page.Locator("#recent-tasks tr[data-task-id]").Filter(new() { HasText = "Migrate virtual machine" }).Filter(new() { HasText = vm.Name });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            var taskId = await row.GetAttributeAsync("data-task-id") ?? throw new InvalidOperationException("the task row has no id");
            var done = await lab.Admin.WaitTaskAsync(taskId, MigrationTimeout);
            Assert.True(done.State == "success", $"the migration ended {done.State}: {done.Error?.Code} {done.Error?.Message}");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-task-state", "success");

            // The Center has it on the other host, and the open Summary says so without a reload.
            var moved = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
            Assert.Equal(lab.SecondHost.Id, moved.HostId);
            Assert.Equal("poweredOn", moved.PowerState);
            await Assertions.Expect(summaryHost).ToHaveAttributeAsync("href", $"/ui/inventory/{lab.SecondHost.Id}", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("summary-power")).ToContainTextAsync("Powered on");

            // The guest never stopped: its ticks (every 100 ms) go on past the last one before the move, and keep coming.
            var after = TinyGuestLog.LastTick(await lab.Admin.WaitForTickAsync(vm.Id, before + 10, TimeSpan.FromSeconds(60)));
            await lab.Admin.WaitForTickAsync(vm.Id, after + 10, TimeSpan.FromSeconds(60));
            await WebLab.ScreenshotAsync(page, "vm-migrated");
            await page.Context.CloseAsync();
        }
        finally
        {
            await DeleteAsync(vm);
        }
    }

    [Fact]
    public async Task ThrottledMigration_ShowsWhatItIsDoingInRecentTasks_AndCancelledThereLeavesTheVmRunningOnItsHost()
    {
        var vm = await CreateOnSharedAsync("mig-slow", lab.Host.Id, powerOn: true);
        try
        {
            await lab.Admin.WaitForTickAsync(vm.Id, 3);
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}");
            await Assertions.Expect(page.Locator("#recent-tasks")).ToHaveAttributeAsync("data-loaded", "true");

            // 1 MiB/s: the guest's few dozen MiB of non-zero memory take long enough to watch.
            var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.SecondHost.Id) { BandwidthMiBps = 1 }))
                .As<TaskDto>(HttpStatusCode.Accepted);
            var row = page.Locator($"#recent-tasks tr[data-task-id='{task.Id}']");
            await Assertions.Expect(row).ToContainTextAsync("Migrate virtual machine");
            await Assertions.Expect(row.Locator($"[data-task-detail='{task.Id}']")).ToContainTextAsync(" sent", new() { Timeout = 60_000 });
            await WebLab.ScreenshotAsync(page, "vm-migrate-progress");

            var before = TinyGuestLog.LastTick(await lab.Admin.SerialAsync(vm.Id));
            var cancel = row.Locator($"[data-task-cancel='{task.Id}']");
            await Assertions.Expect(cancel).ToBeEnabledAsync();
            await cancel.ClickAsync();
            await Assertions.Expect(row).ToHaveAttributeAsync("data-task-state", "cancelled", new() { Timeout = 60_000 });
            await Assertions.Expect(row.Locator($"[data-task-detail='{task.Id}']")).ToHaveCountAsync(0);

            var stayed = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
            Assert.Equal((lab.Host.Id, "poweredOn"), (stayed.HostId, stayed.PowerState));
            await Assertions.Expect(page.GetByTestId("summary-host").Locator("a")).ToHaveAttributeAsync("href", $"/ui/inventory/{lab.Host.Id}");
            await lab.Admin.WaitForTickAsync(vm.Id, before + 10, TimeSpan.FromSeconds(60));
            await page.Context.CloseAsync();
        }
        finally
        {
            await DeleteAsync(vm);
        }
    }

    [Fact]
    public async Task Viewer_SeesMigrateDisabledWithTheReason_AndTheApiRefusesIt()
    {
        var vm = await CreateOnSharedAsync("mig-ro", lab.Host.Id, powerOn: false);
        try
        {
            var page = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, $"/ui/inventory/{vm.Id}");
            var migrate = page.Locator("#action-migrate");
            await Assertions.Expect(migrate).ToBeDisabledAsync();
            var reason = $"You lack Resource.HotMigrate on {vm.Name}";
            await Assertions.Expect(migrate).ToHaveAttributeAsync("data-reason", reason);
            await migrate.HoverAsync(new() { Force = true });
            await Assertions.Expect(page.Locator(".mud-tooltip").GetByText(reason)).ToBeVisibleAsync();
            await page.Context.CloseAsync();

            using var viewer = lab.Center.Client(WebLab.ViewerUser, WebLab.ViewerPassword);
            var refused = await viewer.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.SecondHost.Id));
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        finally
        {
            await DeleteAsync(vm);
        }
    }

    [Fact]
    public async Task Dialog_AsksForAHost_ThenShowsTheCentersRefusalInline_WhenTheDestinationEnteredMaintenance()
    {
        var vm = await CreateOnSharedAsync("mig-bad", lab.Host.Id, powerOn: false);
        var maintenance = false;
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}");
            await page.ClickAsync("#action-migrate");
            await Assertions.Expect(page.Locator("#migrate-from")).ToContainTextAsync("cold migration");

            // Nothing chosen: the dialog says what is missing and sends nothing.
            await page.ClickAsync("#migrate-ok");
            await Assertions.Expect(page.Locator("#migrate-host-error")).ToHaveTextAsync("choose the host to move the VM to");
            await Assertions.Expect(page.Locator("#migrate-dialog")).ToBeVisibleAsync();

            // The destination enters maintenance mode while the dialog is open: the Center refuses, the dialog says why
            // on the host field and then shows the host as it is now (disabled).
            await page.ClickAsync($"#migrate-host-{lab.SecondHost.Id}");
            await Assertions.Expect(page.Locator("#migrate-host-error")).ToHaveCountAsync(0);
            maintenance = true;
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/hosts/{lab.SecondHost.Id}/enter-maintenance"), TaskTimeout);
            await page.ClickAsync("#migrate-ok");
            await Assertions.Expect(page.Locator("#migrate-host-error")).ToContainTextAsync("maintenance");
            await Assertions.Expect(page.Locator("#migrate-dialog")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#migrate-host-{lab.SecondHost.Id}")).ToBeDisabledAsync();
            await Assertions.Expect(page.Locator("#migrate-host")).ToContainTextAsync("(maintenance)");
            await WebLab.ScreenshotAsync(page, "vm-migrate-refused");
            await page.ClickAsync("#migrate-cancel");
            await Assertions.Expect(page.Locator("#migrate-dialog")).ToHaveCountAsync(0);

            Assert.Equal(lab.Host.Id, (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>().HostId);
            await page.Context.CloseAsync();
        }
        finally
        {
            if (maintenance)
            {
                await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/hosts/{lab.SecondHost.Id}/exit-maintenance"), TaskTimeout);
            }

            await DeleteAsync(vm);
        }
    }

    /// <summary>
    /// Removes the test's VM, retrying while an operation on it (a migration that failed the test midway) still holds it.
    /// A VM that cannot be removed is reported, not thrown: it would hide the failure that left it.
    /// </summary>
    private async Task DeleteAsync(CenterVmDto vm)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LiveVms.DeleteAsync(lab, vm);
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 5)
            {
                output.WriteLine($"removing {vm.Name} (attempt {attempt}): {ex.Message}");
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException ex)
            {
                output.WriteLine($"{vm.Name} ({vm.Id}) could not be removed: {ex.Message}");
                return;
            }
        }
    }

    /// <summary>A MudRadio marks its choice on the span around its input.</summary>
    private static ILocator Checked(IPage page, string radioId) => page.Locator($"label:has(span.mud-checked #{radioId})");

    /// <summary>A tiny VM on the shared datastore, placed on <paramref name="hostId"/> so the other host is the destination.</summary>
    private async Task<CenterVmDto> CreateOnSharedAsync(string prefix, string hostId, bool powerOn)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = hostId,
            Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = 128, Datastore = WebLab.SharedDatastore },
        }), TaskTimeout);
        if (powerOn)
        {
            vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"), TaskTimeout);
        }

        return vm;
    }
}
