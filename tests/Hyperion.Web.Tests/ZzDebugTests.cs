using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class ZzDebugTests(WebLab lab)
{
    [Fact]
    public async Task Debug()
    {
        var vm = await LiveVms.CreateAsync(lab, "live-dbg", powerOn: false);
        var log = new System.Text.StringBuilder();
        try
        {
            var page = await lab.LoginAsync(path: $"/ui/inventory/{vm.Id}?tab=console");
            page.Console += (_, m) => log.AppendLine("console " + m.Type + ": " + m.Text);
            page.PageError += (_, e) => log.AppendLine("pageerror: " + e);
            await Task.Delay(6000);
            log.AppendLine(await page.InnerTextAsync("#main-content"));
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
            await page.GotoAsync($"/ui/inventory/{vm.Id}?tab=console");
            await WebLab.WaitInteractiveAsync(page);
            await Task.Delay(10000);
            log.AppendLine(await page.InnerTextAsync("#main-content"));
            log.AppendLine(await page.EvaluateAsync<string>("() => document.getElementById('vnc-screen').outerHTML"));
        }
        finally
        {
            File.WriteAllText("/tmp/c-debug.log", log.ToString() + "\n----center----\n" + lab.Center.Output);
            await LiveVms.DeleteAsync(lab, vm);
        }
    }
}
