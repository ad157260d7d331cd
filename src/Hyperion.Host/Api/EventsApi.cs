using System.Globalization;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Host.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Host.Api;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/events", (long? after, int? limit, string? vm, HostEventLog log) =>
            TypedResults.Ok(log.List(after ?? 0, Math.Clamp(limit ?? 1000, 1, 10_000), vm)))
            .WithTags("Events").WithName("ListEvents").ProducesProblem(StatusCodes.Status401Unauthorized);

        // Server-sent events: each event as `id`, `event` (its type) and `data` (JSON); resume with ?after=<last id>.
        routes.MapGet("/api/events/stream", async (long? after, HttpContext context, HostEventLog log) =>
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await foreach (var e in log.FollowAsync(after ?? 0, context.RequestAborted))
                {
                    var frame = string.Create(CultureInfo.InvariantCulture, $"id: {e.Id}\nevent: {e.Type}\ndata: {JsonSerializer.Serialize(e, JsonDefaults.Options)}\n\n");
                    await response.WriteAsync(frame, context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client disconnected.
            }
        }).WithTags("Events").WithName("StreamEvents").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return routes;
    }
}
