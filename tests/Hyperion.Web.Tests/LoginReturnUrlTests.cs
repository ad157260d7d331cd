using Hyperion.Web.Security;

namespace Hyperion.Web.Tests;

/// <summary>After login the browser goes back where it came from — but only to a page of the web client (no open redirect).</summary>
public sealed class LoginReturnUrlTests
{
    [Theory]
    [InlineData("/ui", "/ui")]
    [InlineData("/ui/inventory/vm-7?tab=console", "/ui/inventory/vm-7?tab=console")]
    [InlineData("/ui?x=1", "/ui?x=1")]
    [InlineData(null, "/ui")]
    [InlineData("", "/ui")]
    [InlineData("https://evil.example/ui", "/ui")]
    [InlineData("//evil.example/ui", "/ui")]
    [InlineData("/uievil", "/ui")]
    [InlineData("/api/vms", "/ui")]
    [InlineData("/ui\\..\\evil", "/ui")]
    [InlineData("/ui/login?returnUrl=/ui", "/ui")]
    public void LocalReturnUrl_OnlyWebClientPaths(string? candidate, string expected)
    {
        Assert.Equal(expected, LoginEndpoints.LocalReturnUrl(candidate));
    }
}
