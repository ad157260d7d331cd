using System.Security.Claims;
using Hyperion.Center.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperion.Web.Security;

/// <summary>
/// A circuit keeps the user it was opened with; this checks every <see cref="Interval"/> that the session behind it
/// still exists (expired, logged out elsewhere, or deleted by an administrator), without counting the check as
/// activity. When it does not, the user becomes anonymous and the layout sends the browser to the login page.
/// </summary>
public sealed class SessionAuthenticationStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes, WebUiOptions options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.SessionRevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var token = authenticationState.User.FindFirstValue(CenterAuthenticationHandler.SessionTokenClaim);
        if (token is null)
        {
            return authenticationState.User.Identity?.IsAuthenticated == true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionStore>();
        return await sessions.ValidateAsync(token, cancellationToken, slide: false) is not null;
    }
}
