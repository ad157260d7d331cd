using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>The Monitor tab's performance charts: samples the Center collected from the host, drawn by Chart.js, per range.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class PerformanceTests(WebLab lab)
{
    [Fact]
    public async Task RunningVm_MonitorTabDrawsCpuChartFromSamples_AndEveryRangeLoads()
    {
        var vm = await LiveVms.CreateAsync(lab, "live-perf", powerOn: true);
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}?tab=monitor");
            var cpu = page.Locator("canvas[data-counter~='cpu.usage']");
            await Assertions.Expect(cpu).ToBeVisibleAsync();
            foreach (var counter in new[] { "mem.usage", "mem.consumed", "disk.read", "disk.write", "net.received", "net.transmitted" })
            {
                await Assertions.Expect(page.Locator($"canvas[data-counter~='{counter}']")).ToHaveCountAsync(1);
            }

            // A VM's CPU usage needs two host samples; the real-time view refreshes itself as they arrive.
            await page.WaitForFunctionAsync(
                "() => Number(document.querySelector(\"canvas[data-counter~='cpu.usage']\")?.dataset.points || 0) >= 2",
                null, new() { Timeout = 150_000, PollingInterval = 1000 });
            await Assertions.Expect(page.Locator("#perf-empty")).ToBeHiddenAsync();
            var box = await cpu.BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 100 });
            await WebLab.ScreenshotAsync(page, "vm-performance");

            // The other ranges read rollups (5-minute, 1-hour): they load without error, empty or not yet.
            foreach (var (label, key) in new[] { ("Last day", "day"), ("Last week", "week"), ("Last month", "month"), ("Real-time", "realtime") })
            {
                await page.Locator("#perf-range").GetByText(label, new() { Exact = true }).ClickAsync();
                await Assertions.Expect(page.Locator($"#perf-charts[data-range='{key}']")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#perf-error")).ToHaveCountAsync(0);
            }

            await page.WaitForFunctionAsync("() => Number(document.querySelector(\"canvas[data-counter~='cpu.usage']\")?.dataset.points || 0) >= 2");
            await page.Context.CloseAsync();
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }
}
