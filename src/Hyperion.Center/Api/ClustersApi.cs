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

public static class ClustersApi
{
    public static IEndpointRouteBuilder MapClustersApi(this IEndpointRouteBuilder routes)
    {
        var clusters = routes.MapGroup("/api/clusters").WithTags("Clusters")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        clusters.MapGet("/", async (string? datacenter, string? name, string? limit, string? cursor, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
            TypedResults.Ok(await inventory.ListClustersAsync(AuthenticatedUser.From(principal), datacenter, name, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListClusters").ProducesProblem(StatusCodes.Status400BadRequest);
        clusters.MapPost("/", async Task<Created<ClusterDto>> (ClusterCreateRequest request, ClaimsPrincipal principal, InventoryService inventory, CancellationToken ct) =>
        {
            var cluster = await inventory.CreateClusterAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/clusters/{cluster.Id}", cluster);
        }).WithName("CreateCluster").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        clusters.MapPut("/{id}/cpu-baseline", async (string id, ClusterCpuBaselineRequest request, ClaimsPrincipal principal, Migrations.CpuBaselineService baselines, CancellationToken ct) =>
            TypedResults.Ok(await baselines.SetAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("SetClusterCpuBaseline").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        clusters.MapPut("/{id}/ha", async (string id, ClusterHaRequest request, ClaimsPrincipal principal, Ha.ClusterHaService ha, CancellationToken ct) =>
            TypedResults.Ok(await ha.SetAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("SetClusterHa").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        clusters.MapGet("/{id}/ha", async (string id, ClaimsPrincipal principal, Ha.ClusterHaService ha, CancellationToken ct) =>
            TypedResults.Ok(await ha.GetStatusAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("GetClusterHaStatus").ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
