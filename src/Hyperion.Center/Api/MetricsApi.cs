using System.Security.Claims;
using Hyperion.Center.Metrics;
using Hyperion.Center.Security;
using Hyperion.Contracts.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        var metrics = routes.MapGroup("/api/metrics").WithTags("Metrics").ProducesProblem(StatusCodes.Status401Unauthorized);
        metrics.MapGet("/", async (
                [FromQuery(Name = "object")] string? objectId,
                string? counter,
                string? interval,
                DateTimeOffset? from,
                DateTimeOffset? to,
                ClaimsPrincipal principal,
                MetricsService service,
                CancellationToken ct) =>
                TypedResults.Ok(await service.QueryAsync(AuthenticatedUser.From(principal), objectId, counter, interval, from, to, ct)))
            .WithName("QueryMetrics")
            .WithSummary("Series of an object's performance counters at one interval (realtime, 5m, 1h) over a time range")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        metrics.MapGet("/counters", () => TypedResults.Ok(MetricCounters.All))
            .WithName("ListMetricCounters")
            .WithSummary("Every performance counter with its unit");
        return routes;
    }
}
