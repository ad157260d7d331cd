using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyperion.Center.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> (from <c>POST /api/session</c>) or, like the host
/// agent, <c>Authorization: Basic</c> with a Center user's credentials on any call (over TLS only), or the web client's
/// session cookie (<see cref="SessionCookieName"/>: the same session token, HttpOnly, Secure, SameSite=Strict; on the
/// REST API for GET and HEAD only).
/// Unauthenticated browser requests for the web client's pages are redirected to its login page.
/// </summary>
public sealed class CenterAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserAuthenticator users,
    SessionStore sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Hyperion";

    /// <summary>Cookie holding a session token for browsers (set by the web client's login).</summary>
    public const string SessionCookieName = "hyperion_session";

    /// <summary>Claim carrying the session token of a cookie-authenticated principal (never leaves the process).</summary>
    public const string SessionTokenClaim = "hyperion:session";

    /// <summary>Pages under this path are the web client's: unauthenticated, they redirect to <see cref="LoginPath"/>.</summary>
    public const string WebClientPath = "/ui";

    public const string LoginPath = "/ui/login";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
        {
            return await FromCookieAsync();
        }

        if (string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var user = await sessions.ValidateAsync(header.Parameter, Context.RequestAborted);
            return user is null ? AuthenticateResult.Fail("unknown or expired session") : Success(user, "Bearer");
        }

        if (!string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("malformed Basic credentials");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var basicUser = colon < 0 ? null : await users.AuthenticateAsync(decoded[..colon], decoded[(colon + 1)..], Context.RequestAborted);
        return basicUser is null ? AuthenticateResult.Fail("wrong user name or password") : Success(basicUser, "Basic");
    }

    private async Task<AuthenticateResult> FromCookieAsync()
    {
        if (!Request.Cookies.TryGetValue(SessionCookieName, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        // On the REST API the browser's cookie only reads (the serial console polls with it); every change goes
        // through the web client's circuit or explicit credentials, so no forged cross-site request can make one.
        if (Request.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method))
        {
            return AuthenticateResult.NoResult();
        }

        var user = await sessions.ValidateAsync(token, Context.RequestAborted);
        if (user is null)
        {
            return AuthenticateResult.Fail("unknown or expired session");
        }

        var principal = user.ToPrincipal("Cookie");
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(new System.Security.Claims.Claim(SessionTokenClaim, token));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments(WebClientPath) && HttpMethods.IsGet(Request.Method))
        {
            var returnUrl = Request.PathBase + Request.Path + Request.QueryString;
            Response.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }

        Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"hyperion\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }

    private static AuthenticateResult Success(AuthenticatedUser user, string method) =>
        AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(method), SchemeName));
}
