using System.Security.Claims;
using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

/// <summary><c>GET /api/inventory/resolve?path=/DC1/host/Cluster1</c>: an inventory path to the object's id, for clients that take paths.</summary>
public static class InventoryPathApi
{
    public static IEndpointRouteBuilder MapInventoryPathApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/inventory/resolve", async Task<Ok<InventoryObjectDto>> (string? path, ClaimsPrincipal principal, CenterDbContext db, AccessControl access, CancellationToken ct) =>
                TypedResults.Ok(await new InventoryPathResolver(db, access).ResolveAsync(AuthenticatedUser.From(principal).Name, path, ct)))
            .WithTags("Inventory").WithName("ResolveInventoryPath")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
