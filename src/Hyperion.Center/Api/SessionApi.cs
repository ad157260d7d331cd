using System.Net.Http.Headers;
using System.Security.Claims;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var session = routes.MapGroup("/api/session").WithTags("Sessions").ProducesProblem(StatusCodes.Status401Unauthorized);
        session.MapPost("/", async Task<Created<SessionDto>> (ClaimsPrincipal principal, SessionStore sessions, CancellationToken ct) =>
        {
            var user = AuthenticatedUser.From(principal);
            var (token, expiresAt) = await sessions.CreateAsync(user, ct);
            return TypedResults.Created("/api/session", new SessionDto(token, expiresAt, user.Name));
        }).WithName("CreateSession");
        session.MapDelete("/", async (HttpRequest request, SessionStore sessions, CancellationToken ct) =>
        {
            if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
                && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } token)
            {
                await sessions.DeleteAsync(token, ct);
            }

            return TypedResults.NoContent();
        }).WithName("DeleteSession");
        return routes;
    }
}
