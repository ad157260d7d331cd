using System.Security.Claims;
using Hyperion.Center.Hosts;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Server.Hosting;
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
        hosts.MapGet("/", async (string? cluster, string? connectionState, string? limit, string? cursor, ClaimsPrincipal principal, HostQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(AuthenticatedUser.From(principal), new HostListFilter(cluster, connectionState), PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListHosts").ProducesProblem(StatusCodes.Status400BadRequest);
        hosts.MapGet("/{id}", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(AuthenticatedUser.From(principal), id, ct))).WithName("GetHost").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/", async (HostAddRequest request, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.AddAsync(AuthenticatedUser.From(principal), request, ct)))
            .WithName("AddHost").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        hosts.MapDelete("/{id}", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.RemoveAsync(AuthenticatedUser.From(principal), id, ct))).WithName("RemoveHost").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/{id}/disconnect", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.DisconnectAsync(AuthenticatedUser.From(principal), id, ct))).WithName("DisconnectHost").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/{id}/reconnect", async (string id, HttpRequest http, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
        {
            var body = await OptionalJsonBody.ReadAsync<HostReconnectRequest>(http, ct);
            return TasksApi.Accepted(await service.ReconnectAsync(AuthenticatedUser.From(principal), id, body, ct));
        }).WithName("ReconnectHost").Accepts<HostReconnectRequest>(isOptional: true, "application/json").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/{id}/enter-maintenance", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.EnterMaintenanceAsync(AuthenticatedUser.From(principal), id, ct))).WithName("EnterHostMaintenanceMode").ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapPost("/{id}/exit-maintenance", async (string id, ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.ExitMaintenanceAsync(AuthenticatedUser.From(principal), id, ct))).WithName("ExitHostMaintenanceMode").ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
