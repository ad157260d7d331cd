using Hyperion.Contracts.Hosts;
using Hyperion.Host.Acceleration;
using Hyperion.Host.Datastores;
using Hyperion.Host.Vms;
using Hyperion.Hypervisor.Hosts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

public static class HostApi
{
    public static IEndpointRouteBuilder MapHostApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/health", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().WithTags("Host").WithName("GetHealth");
        routes.MapGet("/api/host", (HostInfoSource source) => TypedResults.Ok(source.Describe()))
            .WithTags("Host").WithName("GetHost").ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapGet("/api/datastores", (DatastoreCatalog catalog) => TypedResults.Ok(catalog.All.Select(DatastoreCatalog.Describe).ToList()))
            .WithTags("Datastores").WithName("ListDatastores").ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }
}
