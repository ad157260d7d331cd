using Hyperion.Contracts.Vms;
using Hyperion.Domain.Vms;
using Hyperion.Host.Vms;
using Hyperion.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

public static class VmsApi
{
    private const int MaxSerialChunk = 1024 * 1024;

    public static IEndpointRouteBuilder MapVmsApi(this IEndpointRouteBuilder routes)
    {
        var vms = routes.MapGroup("/api/vms")
            .WithTags("VMs")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        vms.MapGet("/", (VmService service) => TypedResults.Ok(service.List())).WithName("ListVms");
        vms.MapGet("/{idOrName}", (string idOrName, VmService service) => TypedResults.Ok(service.Get(idOrName))).WithName("GetVm");
        vms.MapPost("/", async Task<Created<VmDto>> (VmCreateRequest request, VmService service, CancellationToken ct) =>
        {
            var vm = await service.CreateAsync(request, ct);
            return TypedResults.Created($"/api/vms/{vm.Id}", vm);
        }).WithName("CreateVm");
        vms.MapPatch("/{idOrName}", async (string idOrName, VmReconfigureRequest request, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ReconfigureAsync(idOrName, request, ct))).WithName("ReconfigureVm");
        vms.MapDelete("/{idOrName}", async (string idOrName, VmService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(idOrName, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteVm");
        vms.MapPost("/register", async Task<Created<VmDto>> (VmRegisterRequest request, VmService service, CancellationToken ct) =>
        {
            var vm = await service.RegisterAsync(request, ct);
            return TypedResults.Created($"/api/vms/{vm.Id}", vm);
        }).WithName("RegisterVm");
        vms.MapPost("/{idOrName}/unregister", async (string idOrName, VmService service, CancellationToken ct) =>
        {
            await service.UnregisterAsync(idOrName, ct);
            return TypedResults.NoContent();
        }).WithName("UnregisterVm");

        MapPower(vms, "power-on", VmPowerOperation.PowerOn);
        MapPower(vms, "power-off", VmPowerOperation.PowerOff);
        MapPower(vms, "reset", VmPowerOperation.Reset);
        MapPower(vms, "suspend", VmPowerOperation.Suspend);
        MapPower(vms, "resume", VmPowerOperation.Resume);
        vms.MapPost("/{idOrName}/clone", async Task<Created<VmDto>> (string idOrName, VmCloneRequest request, VmService service, CancellationToken ct) =>
        {
            var vm = await service.CloneAsync(idOrName, request, ct);
            return TypedResults.Created($"/api/vms/{vm.Id}", vm);
        }).WithName("CloneVm");
        vms.MapPost("/{idOrName}/mark-template", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.MarkTemplateAsync(idOrName, template: true, ct))).WithName("MarkVmAsTemplate");
        vms.MapPost("/{idOrName}/mark-vm", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.MarkTemplateAsync(idOrName, template: false, ct))).WithName("MarkTemplateAsVm");
        var snapshots = routes.MapGroup("/api/vms/{idOrName}/snapshots").WithTags("Snapshots")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status500InternalServerError);
        snapshots.MapGet("/", (string idOrName, VmService service) => TypedResults.Ok(service.ListSnapshots(idOrName))).WithName("ListSnapshots");
        snapshots.MapPost("/", async Task<Created<SnapshotDto>> (string idOrName, SnapshotCreateRequest request, VmService service, CancellationToken ct) =>
        {
            var snapshot = await service.CreateSnapshotAsync(idOrName, request, ct);
            return TypedResults.Created($"/api/vms/{idOrName}/snapshots/{snapshot.Id}", snapshot);
        }).WithName("CreateSnapshot");
        snapshots.MapPost("/{snapshot}/revert", async (string idOrName, string snapshot, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.RevertSnapshotAsync(idOrName, snapshot, ct))).WithName("RevertSnapshot");
        snapshots.MapDelete("/{snapshot}", async (string idOrName, string snapshot, VmService service, CancellationToken ct) =>
        {
            await service.DeleteSnapshotAsync(idOrName, snapshot, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteSnapshot");
        vms.MapPost("/{idOrName}/shutdown", async (string idOrName, HttpRequest http, VmService service, CancellationToken ct) =>
        {
            var timeout = await OptionalJsonBody.ReadShutdownTimeoutAsync(http, ct);
            return TypedResults.Ok(await service.PowerAsync(idOrName, VmPowerOperation.Shutdown, timeout, ct));
        }).WithName("ShutdownVm").Accepts<VmShutdownRequest>(isOptional: true, "application/json").ProducesProblem(StatusCodes.Status504GatewayTimeout);

        vms.MapGet("/{idOrName}/console/serial", async (string idOrName, long? offset, VmService service, HttpResponse response, CancellationToken ct) =>
        {
            var (content, next) = await service.ReadSerialAsync(idOrName, offset ?? 0, MaxSerialChunk, ct);
            response.Headers["X-Hyperion-Next-Offset"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Bytes(content, "text/plain; charset=utf-8");
        }).WithName("ReadVmSerialConsole").Produces(StatusCodes.Status200OK, contentType: "text/plain");
        return routes;
    }

    private static void MapPower(RouteGroupBuilder vms, string verb, VmPowerOperation operation) =>
        vms.MapPost($"/{{idOrName}}/{verb}", async (string idOrName, VmService service, CancellationToken ct) =>
            TypedResults.Ok(await service.PowerAsync(idOrName, operation, null, ct)))
            .WithName(string.Concat(verb.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Vm");
}
