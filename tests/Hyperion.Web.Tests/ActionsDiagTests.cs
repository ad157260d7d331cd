using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.Web.Tests;

[Collection(WebLabGroup.Name)]
public sealed class ActionsDiagTests(WebLab lab)
{
    [Fact]
    public async Task Diag()
    {
        var logs = new List<string>();
        var page = await lab.NewPageAsync();
        page.Console += (_, m) => logs.Add("console: " + m.Text);
        page.FrameNavigated += (_, f) => logs.Add("navigated: " + f.Url);
        await page.GotoAsync($"/ui/inventory/{lab.ClusterObject.Id}");
        await page.FillAsync("#username", CenterProcess.AdminUser);
        await page.FillAsync("#password", CenterProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#current-user");
        try
        {
            await WebLab.WaitInteractiveAsync(page);
            logs.Add("interactive");
            await page.ClickAsync("#action-new-vm");
            await page.FillAsync("#wizard-name", "act-diag");
            for (var i = 0; i < 6; i++)
            {
                await page.ClickAsync("#wizard-next");
                await Task.Delay(500);
            }

            await page.ClickAsync("#wizard-finish");
            for (var i = 0; i < 20; i++)
            {
                await Task.Delay(1000);
                logs.Add($"{i}: {page.Url}");
            }
        }
        catch (Exception ex)
        {
            logs.Add("EX " + ex.Message);
        }

        await WebLab.ScreenshotAsync(page, "act-diag");
        File.WriteAllText("/tmp/act-diag.txt", string.Join("\n", logs) + "\n---- center ----\n" + lab.Center.Output);
    }
}
