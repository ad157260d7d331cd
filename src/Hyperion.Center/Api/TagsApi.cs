using System.Security.Claims;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Center.Tags;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class TagsApi
{
    public static IEndpointRouteBuilder MapTagsApi(this IEndpointRouteBuilder routes)
    {
        var tags = routes.MapGroup("/api/tags").WithTags("Tags")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        tags.MapGet("/", async ([FromQuery(Name = "object")] string? objectText, string? category, string? limit, string? cursor, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), objectText, category, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListTags").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tags.MapGet("/{id}", async (string id, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("GetTag").ProducesProblem(StatusCodes.Status404NotFound);
        tags.MapPost("/", async Task<Created<TagDto>> (TagCreateRequest request, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
        {
            var tag = await service.CreateAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/tags/{tag.Id}", tag);
        }).WithName("CreateTag").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        tags.MapDelete("/{id}", async (string id, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(AuthenticatedUser.From(principal), id, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteTag").ProducesProblem(StatusCodes.Status404NotFound);
        tags.MapPost("/{id}/assignments", async (string id, TagAssignmentRequest request, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
        {
            await service.AssignAsync(AuthenticatedUser.From(principal), id, request, ct);
            return TypedResults.NoContent();
        }).WithName("AttachTag").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tags.MapDelete("/{id}/assignments/{objectId}", async (string id, string objectId, ClaimsPrincipal principal, TagService service, CancellationToken ct) =>
        {
            await service.UnassignAsync(AuthenticatedUser.From(principal), id, objectId, ct);
            return TypedResults.NoContent();
        }).WithName("DetachTag").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }
}
