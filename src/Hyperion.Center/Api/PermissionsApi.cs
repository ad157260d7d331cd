using System.Security.Claims;
using Hyperion.Center.Authorization;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class PermissionsApi
{
    public static IEndpointRouteBuilder MapPermissionsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/permissions", async Task<Created<PermissionDto>> (PermissionCreateRequest request, ClaimsPrincipal principal, PermissionService permissions, CancellationToken ct) =>
            {
                var permission = await permissions.SetAsync(AuthenticatedUser.From(principal), request, ct);
                return TypedResults.Created($"/api/permissions?object={permission.Object}", permission);
            })
            .WithTags("Permissions").WithName("SetPermission")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
