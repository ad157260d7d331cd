using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hyperion.Host.Security;

/// <summary>
/// The host's authentication: a TLS client certificate issued by the managing Center's CA (<see cref="CenterTrust"/>:
/// the Center's mutually authenticated channel), or HTTP Basic against the host's root account (over TLS only).
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RootCredentials credentials,
    CenterTrust centerTrust)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.Connection.ClientCertificate is { } client && centerTrust.Trusts(client))
        {
            var center = new ClaimsIdentity([new Claim(ClaimTypes.Name, CenterTrust.CenterUser)], "Certificate");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(center), SchemeName)));
        }

        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("malformed Basic credentials"));
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !credentials.Verify(decoded[..colon], decoded[(colon + 1)..]))
        {
            return Task.FromResult(AuthenticateResult.Fail("wrong user name or password"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, decoded[..colon])], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"hyperion\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }
}
