using Hyperion.Contracts.Metrics;
using Hyperion.Host.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/metrics", (DateTimeOffset? since, MetricsRing ring, HostAgentOptions options) =>
                TypedResults.Ok(new HostMetricsDto(options.MetricsInterval.TotalSeconds, options.Driver == "simulated", ring.Since(since))))
            .WithTags("Metrics").WithName("GetMetrics")
            .WithSummary("Performance samples of the host and its running VMs newer than `since` (exclusive; the last hour without it)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }
}
