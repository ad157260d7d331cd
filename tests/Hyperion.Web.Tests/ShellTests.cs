using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>The shell around every page: a lost connection to the Center shows a banner and recovers by itself.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class ShellTests(WebLab lab)
{
    [Fact]
    public async Task CenterGoesAway_BannerShows_ThenPageRecoversByItself_WhenTheCenterIsBack()
    {
        // A Center of its own: this test stops it, the other tests share the lab's.
        await using var center = await CenterProcess.StartAsync();
        var page = await lab.LoginAsync(center.BaseAddress);
        var banner = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(banner).ToBeHiddenAsync();

        await center.KillAsync();
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(banner).ToContainTextAsync("Connection to the Center lost");
        await WebLab.ScreenshotAsync(page, "connection-lost");

        // Back with the same database: the old circuit is gone, the page reloads itself, the session cookie still holds.
        await center.RestartAsync();
        await Assertions.Expect(page.Locator("#current-user")).ToHaveTextAsync(CenterProcess.AdminUser, new() { Timeout = 40_000 });
        await WebLab.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        Assert.DoesNotContain("/ui/login", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
