using System.Net;
using Hyperion.Contracts.Center;

namespace Hyperion.Testing;

/// <summary>Following Center tasks from tests: a 202 answer carries the queued task; these wait for its end.</summary>
public static class CenterTasks
{
    /// <summary>Expects 202 with a task, waits for it to end and returns it (whatever its end state).</summary>
    public static async Task<TaskDto> WaitAsync(this HostApi api, ApiResult accepted, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(accepted);
        var task = accepted.As<TaskDto>(HttpStatusCode.Accepted);
        return await api.WaitTaskAsync(task.Id, timeout);
    }

    public static async Task<TaskDto> WaitTaskAsync(this HostApi api, string taskId, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var task = (await api.SendAsync(HttpMethod.Get, $"/api/tasks/{taskId}?waitSeconds=5")).As<TaskDto>();
            if (task.State is "success" or "error" or "cancelled")
            {
                return task;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"task {taskId} still {task.State} ({task.Progress}%) after the timeout");
            }
        }
    }

    /// <summary>Expects the task to succeed and returns its result as <typeparamref name="T"/>.</summary>
    public static async Task<T> SucceedsAsync<T>(this HostApi api, ApiResult accepted, TimeSpan? timeout = null)
    {
        var task = await api.WaitAsync(accepted, timeout);
        if (task.State != "success")
        {
            throw new InvalidOperationException($"task {task.Id} ({task.DescriptionId}) ended {task.State}: {task.Error?.Code} {task.Error?.Message}");
        }

        return task.Result is { } result
            ? System.Text.Json.JsonSerializer.Deserialize<T>(result.GetRawText(), Hyperion.Contracts.JsonDefaults.Options)!
            : throw new InvalidOperationException($"task {task.Id} has no result");
    }

    /// <summary>Expects the task to succeed (no result needed).</summary>
    public static async Task<TaskDto> SucceedsAsync(this HostApi api, ApiResult accepted, TimeSpan? timeout = null)
    {
        var task = await api.WaitAsync(accepted, timeout);
        return task.State == "success"
            ? task
            : throw new InvalidOperationException($"task {task.Id} ({task.DescriptionId}) ended {task.State}: {task.Error?.Code} {task.Error?.Message}");
    }
}
