using System.Security.Claims;
using Hyperion.Center.Events;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/api/events").WithTags("Events")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        // Newest first; `next` continues with older events.
        events.MapGet("/", async ([FromQuery(Name = "object")] string? objectText, string? type, string? from, string? to, string? user, string? limit, string? cursor, ClaimsPrincipal principal, EventQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(AuthenticatedUser.From(principal), new EventListFilter(objectText, type, from, to, user), PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListCenterEvents").ProducesProblem(StatusCodes.Status400BadRequest);
        events.MapGet("/{id}", async (string id, ClaimsPrincipal principal, EventQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.GetAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("GetCenterEvent").ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
