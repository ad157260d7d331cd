using System.Security.Claims;
using Hyperion.Center.Authorization;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class PermissionsApi
{
    public static IEndpointRouteBuilder MapPermissionsApi(this IEndpointRouteBuilder routes)
    {
        var permissions = routes.MapGroup("/api/permissions").WithTags("Permissions")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        permissions.MapGet("/", async ([FromQuery(Name = "object")] string? objectId, string? user, string? limit, string? cursor, ClaimsPrincipal principal, PermissionService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), objectId, user, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListPermissions").ProducesProblem(StatusCodes.Status400BadRequest);
        permissions.MapPost("/", async Task<Created<PermissionDto>> (PermissionCreateRequest request, ClaimsPrincipal principal, PermissionService service, CancellationToken ct) =>
        {
            var permission = await service.SetAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/permissions?object={permission.Object}", permission);
        }).WithName("SetPermission").ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
