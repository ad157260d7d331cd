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

public static class FoldersApi
{
    public static IEndpointRouteBuilder MapFoldersApi(this IEndpointRouteBuilder routes)
    {
        var folders = routes.MapGroup("/api/folders").WithTags("Folders")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        folders.MapGet("/", async (string? parent, string? name, string? limit, string? cursor, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
                TypedResults.Ok(await inventory.ListFoldersAsync(AuthenticatedUser.From(principal), parent, name, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListFolders").ProducesProblem(StatusCodes.Status400BadRequest);
        folders.MapPost("/", async Task<Created<FolderDto>> (FolderCreateRequest request, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
        {
            var folder = await inventory.CreateFolderAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/folders?parent={folder.ParentId}", folder);
        }).WithName("CreateFolder").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }
}
