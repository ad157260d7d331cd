using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>Recent Tasks following the Center live (progress, success, failure with its error, cancel), the Tasks and Events pages' filters, and an object's tab.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class TasksEventsTests(WebLab lab)
{
    [Fact]
    public async Task RecentTasks_FollowTasksLive_ShowFailureError_AndCancel()
    {
        var page = await lab.LoginAsync();
        var panel = page.Locator("#recent-tasks");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-loaded", "true");

        // A VM created and powered on through the API: the rows appear and end in success without a reload.
        var vm = await LiveVms.CreateAsync(lab, "live-tasks", powerOn: false, kernelArgs: "hyperion.ignore_powerbutton=1");
        try
        {
            var powerOn = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on")).As<TaskDto>(HttpStatusCode.Accepted);
            var row = panel.Locator($"tr[data-task-id='{powerOn.Id}']");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-task-state", "success", new() { Timeout = 60_000 });
            await Assertions.Expect(row).ToContainTextAsync("Power on virtual machine");
            await Assertions.Expect(row).ToContainTextAsync(vm.Name);
            await Assertions.Expect(row.Locator($"a[href='/ui/inventory/{vm.Id}']")).ToBeVisibleAsync();

            // A task that fails shows the Center's error in its row.
            var failing = (await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
            {
                Cluster = WebLab.Cluster,
                Spec = new VmCreateRequest { Name = "live-bad-" + Guid.NewGuid().ToString("N")[..6], Image = "no-such-image", MemoryMiB = 128 },
            })).As<TaskDto>(HttpStatusCode.Accepted);
            var failed = await lab.Admin.WaitTaskAsync(failing.Id);
            Assert.Equal("error", failed.State);
            var failedRow = panel.Locator($"tr[data-task-id='{failing.Id}']");
            await Assertions.Expect(failedRow).ToHaveAttributeAsync("data-task-state", "error");
            await Assertions.Expect(failedRow.Locator("[data-task-error]")).ToContainTextAsync(failed.Error!.Message);
            await Assertions.Expect(failedRow.Locator("[data-task-error]")).ToHaveAttributeAsync("data-task-error", failed.Error.Code);

            // The guest ignores the power button: the shutdown runs until cancelled from the panel.
            var shutdown = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/shutdown", new VmShutdownRequest(120))).As<TaskDto>(HttpStatusCode.Accepted);
            var shutdownRow = panel.Locator($"tr[data-task-id='{shutdown.Id}']");
            await Assertions.Expect(shutdownRow).ToHaveAttributeAsync("data-task-state", "running", new() { Timeout = 30_000 });
            await Assertions.Expect(shutdownRow.Locator("[data-task-progress]")).ToBeVisibleAsync();
            await WebLab.ScreenshotAsync(page, "recent-tasks");
            var cancel = shutdownRow.Locator($"[data-task-cancel='{shutdown.Id}']");
            await Assertions.Expect(cancel).ToBeEnabledAsync();
            await cancel.ClickAsync();
            await Assertions.Expect(shutdownRow).ToHaveAttributeAsync("data-task-state", "cancelled", new() { Timeout = 60_000 });

            // A read-only user sees the administrator's tasks on objects they can see, but may not cancel them.
            var viewer = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword);
            var second = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/shutdown", new VmShutdownRequest(120))).As<TaskDto>(HttpStatusCode.Accepted);
            var viewerRow = viewer.Locator($"#recent-tasks tr[data-task-id='{second.Id}']");
            await Assertions.Expect(viewerRow).ToHaveAttributeAsync("data-task-state", "running", new() { Timeout = 30_000 });
            await Assertions.Expect(viewerRow.Locator($"[data-task-cancel='{second.Id}']")).ToBeDisabledAsync();
            (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{second.Id}/cancel")).As<TaskDto>();
            await Assertions.Expect(viewerRow).ToHaveAttributeAsync("data-task-state", "cancelled", new() { Timeout = 60_000 });
            await viewer.Context.CloseAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    [Fact]
    public async Task EventsAndTasksPages_FilterLikeTheApi_AndTheObjectTabShowsItsOwn()
    {
        var page = await lab.LoginAsync(path: "/ui/events");
        var rows = page.Locator("#events-table tr[data-event-id]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#events-table tr[data-event-type='host.added']")).Not.ToHaveCountAsync(0);

        await page.FillAsync("#events-filter-type", CenterEventTypes.ClusterCreated);
        await Assertions.Expect(page.Locator("#events-table tr[data-event-type='host.added']")).ToHaveCountAsync(0);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-event-type", CenterEventTypes.ClusterCreated);
        Assert.All(await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.eventType)"), t => Assert.Equal(CenterEventTypes.ClusterCreated, t));
        await Assertions.Expect(rows.First).ToContainTextAsync(WebLab.Cluster);
        await WebLab.ScreenshotAsync(page, "events");

        // A prefix ending in '.' takes the family, as the API does.
        await page.FillAsync("#events-filter-type", "host.");
        await Assertions.Expect(page.Locator("#events-table tr[data-event-type='host.added']")).Not.ToHaveCountAsync(0);
        Assert.All(await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.eventType)"), t => Assert.StartsWith("host.", t, StringComparison.Ordinal));

        // A user with no events: the list says nothing matches.
        await page.FillAsync("#events-filter-type", "");
        await page.FillAsync("#events-filter-user", "nobody-" + Guid.NewGuid().ToString("N")[..6]);
        await Assertions.Expect(page.Locator("#events-empty")).ToBeVisibleAsync();

        // The Tasks page, filtered to the cluster the lab added its host to.
        await page.GotoAsync("/ui/tasks");
        await WebLab.WaitInteractiveAsync(page);
        await page.FillAsync("#tasks-filter-target", lab.ClusterObject.Id);
        var taskRows = page.Locator("#tasks-table tr[data-task-id]");
        await Assertions.Expect(taskRows.First).ToContainTextAsync("Add host to cluster");
        await Assertions.Expect(page.Locator("#tasks-total")).Not.ToHaveTextAsync("");
        await page.FillAsync("#tasks-filter-initiator", "nobody");
        await Assertions.Expect(page.Locator("#tasks-empty")).ToBeVisibleAsync();

        // The cluster's Tasks & Events tab: its tasks and events only.
        await page.GotoAsync($"/ui/inventory/{lab.ClusterObject.Id}?tab=tasks");
        await WebLab.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#object-tasks-events #tasks-table tr[data-task-id]").First).ToContainTextAsync("Add host to cluster");
        await page.Locator("#object-tasks-events").GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
        await Assertions.Expect(page.Locator("#object-tasks-events tr[data-event-type='cluster.created']")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
