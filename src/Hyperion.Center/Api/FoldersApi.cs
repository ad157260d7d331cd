using System.Security.Claims;
using Hyperion.Center.Inventory;
using Hyperion.Center.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class FoldersApi
{
    public static IEndpointRouteBuilder MapFoldersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/folders", async (string? parent, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
                TypedResults.Ok(await inventory.ListFoldersAsync(AuthenticatedUser.From(principal), parent, ct)))
            .WithTags("Folders").WithName("ListFolders")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
