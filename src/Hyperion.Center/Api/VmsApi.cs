using System.Security.Claims;
using Hyperion.Center.Hosts;
using Hyperion.Center.Security;
using Hyperion.Center.Vms;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class VmsApi
{
    public static IEndpointRouteBuilder MapVmsApi(this IEndpointRouteBuilder routes)
    {
        var vms = routes.MapGroup("/api/vms").WithTags("Vms")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        vms.MapGet("/", async (string? name, string? host, string? folder, string? powerState, string? tag, bool? template, string? limit, string? cursor, ClaimsPrincipal principal, Inventory.VmQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(AuthenticatedUser.From(principal), new Inventory.VmListFilter(name, host, folder, powerState, tag, template), Paging.PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListCenterVms").ProducesProblem(StatusCodes.Status400BadRequest);
        MapOperations(vms);
        return routes;
    }

    /// <summary>Create, power, reconfigure, delete: each answers 202 with the task that does it.</summary>
    private static void MapOperations(RouteGroupBuilder vms)
    {
        vms.MapGet("/{id}", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(AuthenticatedUser.From(principal), id, ct))).WithName("GetCenterVm").ProducesProblem(StatusCodes.Status404NotFound);
        vms.MapPost("/", async (CenterVmCreateRequest request, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.CreateAsync(AuthenticatedUser.From(principal), request, ct)))
            .WithName("CreateCenterVm").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        foreach (var verb in new[] { "power-on", "power-off", "reset", "suspend", "resume" })
        {
            vms.MapPost($"/{{id}}/{verb}", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
                TasksApi.Accepted(await service.PowerAsync(AuthenticatedUser.From(principal), id, verb, null, ct)))
                .WithName(string.Concat(verb.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "CenterVm")
                .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }

        vms.MapPost("/{id}/shutdown", async (string id, HttpRequest http, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
        {
            var timeout = await OptionalJsonBody.ReadShutdownTimeoutAsync(http, ct);
            return TasksApi.Accepted(await service.PowerAsync(AuthenticatedUser.From(principal), id, "shutdown", timeout, ct));
        }).WithName("ShutdownCenterVm").Accepts<VmShutdownRequest>(isOptional: true, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPatch("/{id}", async (string id, VmReconfigureRequest request, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.ReconfigureAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("ReconfigureCenterVm").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPut("/{id}/ha", async (string id, Contracts.Ha.VmHaRequest request, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.SetHaAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("SetCenterVmHa").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        vms.MapDelete("/{id}", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.DeleteAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("DeleteCenterVm").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/migrate", async (string id, VmMigrateRequest request, ClaimsPrincipal principal, Migrations.MigrationService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.MigrateAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("MigrateCenterVm").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/clone", async (string id, CenterVmCloneRequest request, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.CloneAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("CloneCenterVm").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/mark-template", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.MarkTemplateAsync(AuthenticatedUser.From(principal), id, template: true, ct)))
            .WithName("MarkCenterVmAsTemplate").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/mark-vm", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.MarkTemplateAsync(AuthenticatedUser.From(principal), id, template: false, ct)))
            .WithName("MarkCenterTemplateAsVm").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapGet("/{id}/snapshots", async (string id, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListSnapshotsAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("ListCenterVmSnapshots").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/snapshots", async (string id, SnapshotCreateRequest request, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.CreateSnapshotAsync(AuthenticatedUser.From(principal), id, request, ct)))
            .WithName("CreateCenterVmSnapshot").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/snapshots/{snapshot}/revert", async (string id, string snapshot, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.RevertSnapshotAsync(AuthenticatedUser.From(principal), id, snapshot, ct)))
            .WithName("RevertCenterVmSnapshot").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapDelete("/{id}/snapshots/{snapshot}", async (string id, string snapshot, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.DeleteSnapshotAsync(AuthenticatedUser.From(principal), id, snapshot, ct)))
            .WithName("DeleteCenterVmSnapshot").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapGet("/{id}/console/serial", async (string id, long? offset, HttpResponse response, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
        {
            if (offset is < 0)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "offset must not be negative", "offset"));
            }

            var (client, localId) = await service.ConsoleTargetAsync(AuthenticatedUser.From(principal), id, ct);
            var (content, next) = await client.ReadSerialAsync(localId, offset ?? 0, ct);
            response.Headers[HostAgentClient.SerialNextOffsetHeader] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Bytes(content, "text/plain; charset=utf-8");
        }).WithName("ReadCenterVmSerialConsole").Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        vms.MapPost("/{id}/console/ticket", async (string id, ClaimsPrincipal principal, CenterVmService service, ConsoleTickets tickets, CancellationToken ct) =>
        {
            var user = AuthenticatedUser.From(principal);
            var vm = await service.ConsoleVmAsync(user, id, ct);
            var (ticket, expires) = tickets.Issue(user, vm);
            return TypedResults.Ok(new ConsoleTicketDto(ticket, expires, $"/api/vms/{vm.Value}/console/vnc?ticket={ticket}"));
        }).WithName("AcquireCenterVmConsoleTicket").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // Credentials (Basic or Bearer) as every call, or a ticket from the endpoint above: browsers cannot put headers on
        // a websocket. The privilege is checked again when the socket opens.
        var openVnc = async (string id, string? ticket, HttpContext context, CenterVmService service, ConsoleTickets tickets) =>
        {
            AuthenticatedUser user;
            if (context.User.Identity?.IsAuthenticated == true)
            {
                user = AuthenticatedUser.From(context.User);
            }
            else
            {
                user = (InventoryId.TryParse(id, out var vmId) ? tickets.Redeem(ticket, vmId) : null)
                    ?? throw new DomainException(ErrorCodes.Unauthorized, ticket is null
                        ? "authentication required: credentials, or a ticket from POST /api/vms/{id}/console/ticket"
                        : "the console ticket is unknown, spent, expired or for another VM");
            }

            var (client, localId) = await service.ConsoleTargetAsync(user, id, context.RequestAborted);
            await VmConsoleProxy.RunAsync(context, client, localId);
        };
        vms.MapGet("/{id}/console/vnc", openVnc).AllowAnonymous().WithName("OpenCenterVmVncConsole")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // Browsers open a websocket over HTTP/2 with an extended CONNECT (RFC 8441) instead of an upgrading GET.
        vms.MapMethods("/{id}/console/vnc", [HttpMethods.Connect], openVnc).AllowAnonymous().ExcludeFromDescription();
    }
}
