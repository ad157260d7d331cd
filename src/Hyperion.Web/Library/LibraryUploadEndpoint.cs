using Hyperion.Center.Library;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Web.Library;

/// <summary>
/// <c>POST /ui/library/upload?ticket=…</c>: the Import dialog's file, posted by the browser itself (streamed from
/// disk, with upload progress) instead of through the circuit, relayed to the host as <c>POST /api/library</c> relays
/// it. The single-use ticket (<see cref="UploadTickets"/>) names the user, host and parameters; refusals are problem
/// details, as the API's.
/// </summary>
public static class LibraryUploadEndpoint
{
    public const string Path = "/ui/library/upload";

    public static IEndpointRouteBuilder MapLibraryUpload(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, async (string? ticket, HttpRequest request, UploadTickets tickets, CenterLibraryService service, CancellationToken ct) =>
        {
            var upload = tickets.Take(ticket) ?? throw new DomainException(ErrorCodes.Unauthorized, "the upload ticket is unknown, used or expired: import again");
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            var item = await service.ImportAsync(upload.User, upload.HostId, upload.Query, request.Body, request.ContentLength, ct);
            return TypedResults.Created($"/api/library/{item.Item.Name}", item);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return routes;
    }
}
