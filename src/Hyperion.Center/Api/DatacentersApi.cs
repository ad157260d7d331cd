using System.Security.Claims;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class DatacentersApi
{
    public static IEndpointRouteBuilder MapDatacentersApi(this IEndpointRouteBuilder routes)
    {
        var datacenters = routes.MapGroup("/api/datacenters").WithTags("Datacenters")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        datacenters.MapGet("/", async (string? name, string? limit, string? cursor, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
            TypedResults.Ok(await inventory.ListDatacentersAsync(AuthenticatedUser.From(principal), name, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListDatacenters").ProducesProblem(StatusCodes.Status400BadRequest);
        datacenters.MapPost("/", async Task<Created<DatacenterDto>> (DatacenterCreateRequest request, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
        {
            var datacenter = await inventory.CreateDatacenterAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/datacenters/{datacenter.Id}", datacenter);
        }).WithName("CreateDatacenter").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }
}
