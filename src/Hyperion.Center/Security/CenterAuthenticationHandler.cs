using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyperion.Center.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> (from <c>POST /api/session</c>) or, like the host
/// agent, <c>Authorization: Basic</c> with a Center user's credentials on any call (over TLS only).
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
        {
            return AuthenticateResult.NoResult();
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

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"hyperion\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }

    private static AuthenticateResult Success(AuthenticatedUser user, string method) =>
        AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(method), SchemeName));
}
