using System.Security.Claims;
using Hyperion.Center.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Security;

/// <summary>
/// What the user does in the page (clicks, typing, navigation — inbound circuit activity) counts as session activity,
/// as API calls do: it slides the session's idle expiry, at most once per <see cref="WebUiOptions.SessionSlideInterval"/>.
/// </summary>
public sealed class SessionActivityHandler(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider time, WebUiOptions options) : CircuitHandler
{
    private long _lastSlide = long.MinValue;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            await SlideAsync();
            await next(context);
        };

    private async Task SlideAsync()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSlide);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < options.SessionSlideInterval)
        {
            return;
        }

        Interlocked.Exchange(ref _lastSlide, now);
        var state = await authentication.GetAuthenticationStateAsync();
        var token = state.User.FindFirstValue(CenterAuthenticationHandler.SessionTokenClaim);
        if (token is null)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SessionStore>().ValidateAsync(token, CancellationToken.None);
    }
}
