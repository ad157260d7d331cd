using System.Security.Claims;
using Hyperion.Center.Authorization;
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
        routes.MapPost("/api/users", async Task<Created<UserDto>> (UserCreateRequest request, ClaimsPrincipal principal, UserService users, CancellationToken ct) =>
            {
                var user = await users.CreateAsync(AuthenticatedUser.From(principal), request, ct);
                return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.Name)}", user);
            })
            .WithTags("Users").WithName("CreateUser")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }
}
