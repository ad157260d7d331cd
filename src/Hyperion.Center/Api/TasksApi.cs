using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Hyperion.Center.Paging;
using Hyperion.Center.Security;
using Hyperion.Center.Tasks;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Hyperion.Center.Api;

public static class TasksApi
{
    /// <summary>The longest a <c>GET /api/tasks/{id}?waitSeconds=</c> call waits for the task to end.</summary>
    public const int MaxWaitSeconds = 60;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var tasks = routes.MapGroup("/api/tasks").WithTags("Tasks")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        tasks.MapGet("/", async (string? state, string? target, string? initiator, string? limit, string? cursor, ClaimsPrincipal principal, TaskService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(AuthenticatedUser.From(principal), new TaskListQuery(state, target, initiator), PageRequest.Parse(limit, cursor), ct)))
            .WithName("ListTasks").ProducesProblem(StatusCodes.Status400BadRequest);

        // Server-sent events: every change of a task the user may see, as `event: task` with the TaskDto as data.
        tasks.MapGet("/stream", async (HttpContext context, TaskFeed feed, TaskService service, CancellationToken ct) =>
        {
            var actor = AuthenticatedUser.From(context.User);
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            using var subscription = feed.Subscribe();
            await response.Body.FlushAsync(ct);
            var decided = new Dictionary<string, bool>(StringComparer.Ordinal);
            try
            {
                await foreach (var task in subscription.Reader.ReadAllAsync(ct))
                {
                    if (!decided.TryGetValue(task.Id, out var visible))
                    {
                        try
                        {
                            visible = (await service.GetAsync(actor, task.Id, null, ct)) is not null;
                        }
                        catch (DomainException)
                        {
                            visible = false;
                        }

                        decided[task.Id] = visible;
                    }

                    if (visible)
                    {
                        var frame = string.Create(CultureInfo.InvariantCulture, $"event: task\ndata: {JsonSerializer.Serialize(task, JsonDefaults.Options)}\n\n");
                        await response.WriteAsync(frame, ct);
                        await response.Body.FlushAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The client disconnected.
            }
        }).WithName("StreamTasks").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

        tasks.MapGet("/{id}", async (string id, int? waitSeconds, ClaimsPrincipal principal, TaskService service, CancellationToken ct) =>
        {
            if (waitSeconds is < 0 or > MaxWaitSeconds)
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"waitSeconds must be between 0 and {MaxWaitSeconds}", "waitSeconds"));
            }

            var wait = waitSeconds is > 0 ? TimeSpan.FromSeconds(waitSeconds.Value) : (TimeSpan?)null;
            return TypedResults.Ok(await service.GetAsync(AuthenticatedUser.From(principal), id, wait, ct));
        }).WithName("GetTask").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);

        tasks.MapPost("/{id}/cancel", async (string id, ClaimsPrincipal principal, TaskService service, CancellationToken ct) =>
            TypedResults.Ok(await service.CancelAsync(AuthenticatedUser.From(principal), id, ct)))
            .WithName("CancelTask").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    /// <summary>The answer of an endpoint that started a task: 202 with the task and its Location.</summary>
    public static Accepted<TaskDto> Accepted(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return TypedResults.Accepted($"/api/tasks/{task.Id}", task);
    }
}
