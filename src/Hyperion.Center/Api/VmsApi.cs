using System.Security.Claims;
using Hyperion.Center.Hosts;
using Hyperion.Center.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class VmsApi
{
    public static IEndpointRouteBuilder MapVmsApi(this IEndpointRouteBuilder routes)
    {
        var vms = routes.MapGroup("/api/vms").WithTags("Vms")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        vms.MapGet("/", async (ClaimsPrincipal principal, HostService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListVmsAsync(AuthenticatedUser.From(principal), ct))).WithName("ListCenterVms");
        return routes;
    }
}
