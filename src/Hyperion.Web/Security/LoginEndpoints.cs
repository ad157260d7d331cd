using Hyperion.Center.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Web.Security;

/// <summary>
/// The web client's sign-in and sign-out: a plain HTML form posts the user's credentials; a session (the same kind
/// <c>POST /api/session</c> creates, with the Center's idle timeout) is put in an HttpOnly, Secure, SameSite=Strict
/// cookie, which the Center's authentication handler accepts on pages, the Blazor hub and the API alike.
/// </summary>
public static class LoginEndpoints
{
    public const string SignInPath = "/ui/session";
    public const string SignOutPath = "/ui/logout";

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(SignInPath, async (HttpContext http, UserAuthenticator users, SessionStore sessions) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var name = form["username"].ToString().Trim();
            var password = form["password"].ToString();
            var returnUrl = LocalReturnUrl(form["returnUrl"].ToString());
            var user = name.Length == 0 || password.Length == 0 ? null : await users.AuthenticateAsync(name, password, http.RequestAborted);
            if (user is null)
            {
                var error = name.Length == 0 || password.Length == 0 ? "missing" : "invalid";
                return Results.Redirect($"{CenterAuthenticationHandler.LoginPath}?error={error}&user={Uri.EscapeDataString(name)}&returnUrl={Uri.EscapeDataString(returnUrl)}");
            }

            var (token, _) = await sessions.CreateAsync(user, http.RequestAborted);
            http.Response.Cookies.Append(CenterAuthenticationHandler.SessionCookieName, token, new CookieOptions
            {
                HttpOnly = true,
                Secure = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            return Results.Redirect(returnUrl);
        }).AllowAnonymous().ExcludeFromDescription();

        routes.MapPost(SignOutPath, async (HttpContext http, SessionStore sessions) =>
        {
            if (http.Request.Cookies.TryGetValue(CenterAuthenticationHandler.SessionCookieName, out var token) && !string.IsNullOrEmpty(token))
            {
                await sessions.DeleteAsync(token, http.RequestAborted);
            }

            http.Response.Cookies.Delete(CenterAuthenticationHandler.SessionCookieName, new CookieOptions { Path = "/", Secure = true, SameSite = SameSiteMode.Strict });
            return Results.Redirect($"{CenterAuthenticationHandler.LoginPath}?loggedOut=1");
        }).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    /// <summary>Only a path of the web client itself: never an absolute or protocol-relative URL (open redirect).</summary>
    public static string LocalReturnUrl(string? candidate) =>
        !string.IsNullOrEmpty(candidate) && candidate.StartsWith(CenterAuthenticationHandler.WebClientPath, StringComparison.Ordinal)
            && !candidate.StartsWith("//", StringComparison.Ordinal) && !candidate.Contains('\\', StringComparison.Ordinal)
            && (candidate.Length == CenterAuthenticationHandler.WebClientPath.Length || candidate[CenterAuthenticationHandler.WebClientPath.Length] is '/' or '?')
            && !candidate.StartsWith(CenterAuthenticationHandler.LoginPath, StringComparison.Ordinal)
            ? candidate
            : CenterAuthenticationHandler.WebClientPath;
}
