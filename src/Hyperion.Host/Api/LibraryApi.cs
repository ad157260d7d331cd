using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Errors;
using Hyperion.Host.Library;
using Hyperion.Host.Vms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

/// <summary>
/// The content library (<c>/api/library</c>: list, import by upload, delete, deploy a VM from an item) and the OVA
/// export of a VM (<c>GET /api/vms/{vm}/export</c>).
/// </summary>
public static class LibraryApi
{
    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder routes)
    {
        var library = routes.MapGroup("/api/library").WithTags("Content library")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        library.MapGet("/", (ContentLibrary items) => TypedResults.Ok(items.List())).WithName("ListLibraryItems");
        library.MapGet("/{item}", (string item, ContentLibrary items) => TypedResults.Ok(items.Get(item))).WithName("GetLibraryItem");

        // The body is the file itself (any size: the request size limit is lifted for this endpoint).
        library.MapPost("/", async Task<Created<LibraryItemDto>> (string? name, string? type, string? datastore, string? fileName, HttpRequest request, ContentLibrary items, CancellationToken ct) =>
        {
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            var item = await items.ImportAsync(name, type, datastore, fileName, request.Body, request.ContentLength, ct);
            return TypedResults.Created($"/api/library/{item.Name}", item);
        }).WithName("ImportLibraryItem").Accepts<Stream>("application/octet-stream");
        library.MapDelete("/{item}", (string item, ContentLibrary items, VmService vms) =>
        {
            items.Delete(item, vms.LibraryItemUsers(items, item));
            return TypedResults.NoContent();
        }).WithName("DeleteLibraryItem");
        library.MapPost("/{item}/deploy", async Task<Created<VmDto>> (string item, LibraryDeployRequest request, ContentLibrary items, VmService vms, CancellationToken ct) =>
        {
            var vm = await vms.DeployAsync(items, item, request, ct);
            return TypedResults.Created($"/api/vms/{vm.Id}", vm);
        }).WithName("DeployLibraryItem");

        routes.MapGet("/api/vms/{idOrName}/export", (string idOrName, VmService vms, CancellationToken ct) =>
        {
            var vm = vms.Get(idOrName);
            if (vm.PowerState != "poweredOff")
            {
                throw new DomainException(ErrorCodes.VmInvalidState, $"cannot export VM '{vm.Name}' while it is {vm.PowerState}: power it off first");
            }

            return Results.Stream(stream => vms.ExportOvaAsync(idOrName, stream, ct), "application/x-tar", $"{vm.Name}.ova");
        }).WithTags("VMs").WithName("ExportVm").Produces(StatusCodes.Status200OK, contentType: "application/x-tar")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }
}
