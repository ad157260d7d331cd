using System.Security.Claims;
using Hyperion.Center.Authorization;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/users").WithTags("Users")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        users.MapGet("/", async (string? name, string? limit, string? cursor, ClaimsPrincipal principal, UserService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), name, PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListUsers").ProducesProblem(StatusCodes.Status400BadRequest);
        users.MapPost("/", async Task<Created<UserDto>> (UserCreateRequest request, ClaimsPrincipal principal, UserService service, CancellationToken ct) =>
        {
            var user = await service.CreateAsync(AuthenticatedUser.From(principal), request, ct);
            return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.Name)}", user);
        }).WithName("CreateUser").ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }
}
