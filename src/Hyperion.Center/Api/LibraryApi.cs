using System.Security.Claims;
using Hyperion.Center.Library;
using Hyperion.Center.Security;
using Hyperion.Center.Vms;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

/// <summary>
/// The hosts' content libraries through the Center (<c>/api/library</c>; <c>host</c> picks one when several could
/// hold the item) and a VM's OVA export (<c>GET /api/vms/{id}/export</c>), both streamed through from the host.
/// </summary>
public static class LibraryApi
{
    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder routes)
    {
        var library = routes.MapGroup("/api/library").WithTags("Content library")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        library.MapGet("/", async (ClaimsPrincipal principal, CenterLibraryService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), ct))).WithName("ListCenterLibraryItems");
        library.MapPost("/", async (string? host, HttpRequest request, ClaimsPrincipal principal, CenterLibraryService service, CancellationToken ct) =>
        {
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            // The host's own parameters (name, type, datastore, fileName) go through as they came; host is the Center's.
            var query = QueryString.Create(request.Query.Where(q => q.Key != "host").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
            var item = await service.ImportAsync(AuthenticatedUser.From(principal), host, query.Value ?? string.Empty, request.Body, request.ContentLength, ct);
            return TypedResults.Created($"/api/library/{item.Item.Name}", item);
        }).WithName("ImportCenterLibraryItem").Accepts<Stream>("application/octet-stream");
        library.MapDelete("/{item}", async (string item, string? host, ClaimsPrincipal principal, CenterLibraryService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(AuthenticatedUser.From(principal), item, host, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteCenterLibraryItem");
        library.MapPost("/{item}/deploy", async (string item, CenterLibraryDeployRequest request, ClaimsPrincipal principal, CenterLibraryService service, CancellationToken ct) =>
            TasksApi.Accepted(await service.DeployAsync(AuthenticatedUser.From(principal), item, request, ct))).WithName("DeployCenterLibraryItem");

        routes.MapGet("/api/vms/{id}/export", async (string id, HttpContext http, ClaimsPrincipal principal, CenterVmService service, CancellationToken ct) =>
        {
            var (response, name) = await service.OpenExportAsync(AuthenticatedUser.From(principal), id, ct);
            using (response)
            {
                http.Response.ContentType = "application/x-tar";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.ova\"";
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await body.CopyToAsync(http.Response.Body, 1 << 20, ct);
            }
        }).WithTags("Vms").WithName("ExportCenterVm").Produces(StatusCodes.Status200OK, contentType: "application/x-tar")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }
}
