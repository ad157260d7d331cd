using System.Net.Http.Headers;
using Hyperion.Testing;
using Microsoft.Playwright;

namespace Hyperion.Web.Tests;

/// <summary>Signing in and out of the web client, and a session that ends while its page is open.</summary>
[Collection(WebLabGroup.Name)]
[Trait("Category", "Web")]
public sealed class LoginTests(WebLab lab)
{
    [Fact]
    public async Task Login_WrongPassword_ShowsError_ThenRightPassword_OpensShell_AndLogoutReturnsToLogin()
    {
        var page = await lab.NewPageAsync();
        await page.GotoAsync("/ui/inventory/vm-1");
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);
        await WebLab.ScreenshotAsync(page, "login");

        await page.FillAsync("#username", CenterProcess.AdminUser);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong user name or password");
        Assert.Equal(CenterProcess.AdminUser, await page.InputValueAsync("#username"));

        await page.FillAsync("#password", CenterProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#current-user")).ToHaveTextAsync(CenterProcess.AdminUser);
        Assert.EndsWith("/ui/inventory/vm-1", page.Url, StringComparison.Ordinal);
        await WebLab.WaitInteractiveAsync(page);

        await page.ClickAsync("#logout");
        await Assertions.Expect(page.Locator("#login-loggedout")).ToBeVisibleAsync();
        var response = await page.GotoAsync("/ui");
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);
        Assert.NotNull(response);
    }

    [Fact]
    public async Task SessionEndedElsewhere_OpenPageGoesToLogin_AndApiRefusesTheCookie()
    {
        var page = await lab.LoginAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "hyperion_session");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // On the REST API the cookie reads but never changes anything (no cross-site request forgery possible).
        Assert.Equal(200, (await page.APIRequest.GetAsync("/api/vms")).Status);
        Assert.Equal(401, (await page.APIRequest.PostAsync("/api/datacenters", new() { DataObject = new { name = "csrf-dc" } })).Status);
        Assert.DoesNotContain("csrf-dc", await (await lab.Admin.Http.GetAsync(new Uri("/api/datacenters", UriKind.Relative))).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The session is the Center's: ending it (logout from the API with the same token) ends the page's too.
        using var api = lab.Center.BearerClient(cookie.Value);
        var deleted = await api.Http.DeleteAsync(new Uri("/api/session", UriKind.Relative));
        Assert.True(deleted.IsSuccessStatusCode);

        await Assertions.Expect(page.Locator("#login-expired")).ToBeVisibleAsync(new() { Timeout = 40_000 });
        var apiWithCookie = await page.APIRequest.GetAsync("/api/vms");
        Assert.Equal(401, apiWithCookie.Status);
    }
}
