using System.Security.Claims;
using Hyperion.Center.Hosts;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class HostsApi
{
    public static IEndpointRouteBuilder MapHostsApi(this IEndpointRouteBuilder routes)
    {
        var hosts = routes.MapGroup("/api/hosts").WithTags("Hosts")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        hosts.MapGet("/", async (ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), ct))).WithName("ListHosts");
        hosts.MapGet("/{id}", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(AuthenticatedUser.From(principal), id, ct))).WithName("GetHost").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/", async Task<Created<HostDto>> (HostAddRequest request, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
        {
            var host = await service.AddAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/hosts/{host.Id}", host);
        }).WithName("AddHost").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        hosts.MapDelete("/{id}", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
        {
            await service.RemoveAsync(AuthenticatedUser.From(principal), id, ct);
            return TypedResults.NoContent();
        }).WithName("RemoveHost").ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
