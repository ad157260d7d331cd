using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>A VM's consoles in the browser: the serial output live in xterm.js, the screen over noVNC, and no console without the privilege.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed partial class ConsoleTests(WebLab lab)
{
    [Fact]
    public async Task RunningVm_SerialTabShowsTicksArriving_ConsoleTabShowsTheScreen_ViewerGetsTheReason()
    {
        var vm = await LiveVms.CreateAsync(lab, "live-console", powerOn: true);
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}?tab=serial");
            await Assertions.Expect(page.Locator("#serial-state")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });

            // The tiny guest prints "tick N" every second: the terminal shows them, and more keep coming.
            var first = await WaitForTickAsync(page, 1);
            await WaitForTickAsync(page, first + 2);
            Assert.True(int.Parse(await page.GetAttributeAsync("#serial-terminal", "data-received") ?? "0", CultureInfo.InvariantCulture) > 0);
            await WebLab.ScreenshotAsync(page, "vm-serial");

            await page.ClickAsync("#tab-console");
            await Assertions.Expect(page.Locator("#vnc-screen")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#console-cad")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#console-state")).ToHaveAttributeAsync("data-state", "connected");

            // The guest's screen (SeaBIOS' text at least) reaches the canvas: a real size and more than one colour.
            var colours = await page.WaitForFunctionAsync(
                """
                () => {
                  const c = document.querySelector('#vnc-screen canvas');
                  if (!c || c.width < 100 || c.height < 100) return 0;
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  const seen = new Set();
                  for (let i = 0; i < d.length; i += 4) { seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); if (seen.size > 3) break; }
                  return seen.size > 1 ? seen.size : 0;
                }
                """, null, new() { Timeout = 30_000 });
            Assert.True(await colours.JsonValueAsync<int>() > 1);

            // Keys typed into the screen reach the guest's keyboard: the tiny guest prints each key code it gets
            // (KEY_A = 30) on its serial console, and "ctrl-alt-del" when the kernel signals it those three keys.
            // (Typed again until seen: a key pressed before the guest's keyboard has registered is lost, as on hardware.)
            await RepeatUntilSerialAsync(vm.Id, "key: 30", async () =>
            {
                await page.ClickAsync("#vnc-screen canvas");
                await page.Keyboard.PressAsync("a");
            });
            await RepeatUntilSerialAsync(vm.Id, "ctrl-alt-del", () => page.ClickAsync("#console-cad"));
            await Assertions.Expect(page.Locator("#vnc-screen")).ToHaveAttributeAsync("data-state", "connected");
            await WebLab.ScreenshotAsync(page, "vm-console");
            await page.Context.CloseAsync();

            // A read-only user sees the VM but may not use its console: the tab says why instead of connecting.
            var viewer = await lab.LoginAsync(WebLab.ViewerUser, WebLab.ViewerPassword, $"/ui/inventory/{vm.Id}?tab=console");
            await Assertions.Expect(viewer.Locator("#console-message")).ToContainTextAsync("VirtualMachine.Interact.ConsoleInteract");
            await Assertions.Expect(viewer.Locator("#console-cad")).ToBeDisabledAsync();
            await Assertions.Expect(viewer.Locator("#console-state")).ToHaveAttributeAsync("data-state", "unavailable");
            await viewer.Context.CloseAsync();
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    [Fact]
    public async Task PoweredOffVm_ConsoleSaysSo_AndConnectsOncePoweredOn()
    {
        var vm = await LiveVms.CreateAsync(lab, "live-off", powerOn: false);
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}?tab=console");
            await Assertions.Expect(page.Locator("#console-message")).ToContainTextAsync("powered off");
            await Assertions.Expect(page.Locator("#console-cad")).ToBeDisabledAsync();

            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
            await page.ClickAsync("#console-reconnect");
            await Assertions.Expect(page.Locator("#vnc-screen")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#console-message")).ToBeHiddenAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            await LiveVms.DeleteAsync(lab, vm);
        }
    }

    /// <summary>Does <paramref name="act"/>, then again every 3 s, until the VM's serial log (through the Center's API) contains <paramref name="text"/>.</summary>
    private async Task RepeatUntilSerialAsync(string vmId, string text, Func<Task> act)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (true)
        {
            await act();
            var retry = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while (DateTime.UtcNow < retry)
            {
                var response = await lab.Admin.Http.GetAsync(new Uri($"/api/vms/{vmId}/console/serial?offset=0", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                if ((await response.Content.ReadAsStringAsync()).Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                await Task.Delay(250);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the guest never printed '{text}'");
            }
        }
    }

    private static async Task<int> WaitForTickAsync(IPage page, int atLeast)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var text = await page.EvaluateAsync<string>(
                "async () => { const el = document.getElementById('serial-terminal'); const m = await import('/_content/Hyperion.Web/lib/serial-console.js'); return m.text(el.dataset.key); }");
            var ticks = TickPattern().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            if (ticks.Count > 0 && ticks.Max() >= atLeast)
            {
                return ticks.Max();
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"no 'tick {atLeast}' in the serial terminal; it shows:\n{text}");
            }

            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"tick (\d+)")]
    private static partial Regex TickPattern();
}

/// <summary>VMs for the live views' tests, created and removed through the Center's API as the administrator.</summary>
internal static class LiveVms
{
    public static async Task<CenterVmDto> CreateAsync(WebLab lab, string prefix, bool powerOn, string? kernelArgs = null)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Cluster = WebLab.Cluster,
            Spec = new VmCreateRequest { Name = name, Image = "tiny", MemoryMiB = 128, KernelArgs = kernelArgs },
        }));
        if (powerOn)
        {
            vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        }

        return vm;
    }

    /// <summary>Powers the VM off (when it runs) and deletes it.</summary>
    public static async Task DeleteAsync(WebLab lab, CenterVmDto vm)
    {
        var current = await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}");
        if (current.Status == HttpStatusCode.NotFound)
        {
            return;
        }

        if (current.As<CenterVmDto>().PowerState != "poweredOff")
        {
            await lab.Admin.WaitAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        }

        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vm.Id}"));
    }
}
