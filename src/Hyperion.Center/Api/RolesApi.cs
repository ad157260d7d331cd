using System.Security.Claims;
using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

/// <summary>Roles and privileges; datastores and networks of the datacenters.</summary>
public static class RolesApi
{
    public static IEndpointRouteBuilder MapRolesApi(this IEndpointRouteBuilder routes)
    {
        var roles = routes.MapGroup("/api/roles").WithTags("Roles")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        roles.MapGet("/", async (string? limit, string? cursor, RoleService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(PageRequest.Parse(limit, cursor), ct))).WithName("ListRoles").ProducesProblem(StatusCodes.Status400BadRequest);
        roles.MapPost("/", async Task<Created<RoleDto>> (RoleCreateRequest request, ClaimsPrincipal principal, RoleService service, CancellationToken ct) =>
        {
            var role = await service.CreateAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/roles/{Uri.EscapeDataString(role.Name)}", role);
        }).WithName("CreateRole").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        roles.MapDelete("/{name}", async (string name, ClaimsPrincipal principal, RoleService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(AuthenticatedUser.From(principal), name, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteRole").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        routes.MapGet("/api/privileges", () => TypedResults.Ok(RoleService.AllPrivileges))
            .WithTags("Roles").WithName("ListPrivileges").ProducesProblem(StatusCodes.Status401Unauthorized);

        routes.MapGet("/api/datastores", async (string? datacenter, string? name, string? limit, string? cursor, ClaimsPrincipal principal, StorageQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListDatastoresAsync(AuthenticatedUser.From(principal), datacenter, name, PageRequest.Parse(limit, cursor), ct)))
            .WithTags("Datastores").WithName("ListCenterDatastores").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapGet("/api/networks", async (string? datacenter, string? name, string? limit, string? cursor, ClaimsPrincipal principal, StorageQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListNetworksAsync(AuthenticatedUser.From(principal), datacenter, name, PageRequest.Parse(limit, cursor), ct)))
            .WithTags("Networks").WithName("ListCenterNetworks").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }
}
