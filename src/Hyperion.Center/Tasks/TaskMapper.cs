using System.Text.Json;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Center.Tasks;

public static class TaskMapper
{
    public static TaskDto ToDto(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        JsonElement? result = null;
        if (task.ResultJson is not null)
        {
            using var document = JsonDocument.Parse(task.ResultJson);
            result = document.RootElement.Clone();
        }

        return new TaskDto(
            task.Id.Value,
            task.DescriptionId,
            task.TargetId?.Value,
            task.TargetName,
            task.Initiator,
            JsonNamingPolicy.CamelCase.ConvertName(task.State.ToString()),
            task.Progress,
            task.Cancellable,
            task.CancelRequested,
            task.QueuedAt,
            task.StartedAt,
            task.CompletedAt,
            result,
            task.ErrorCode is null ? null : new ProblemErrorDto(task.ErrorCode, task.ErrorMessage ?? task.ErrorCode, null))
        {
            ProgressDetail = task.ProgressDetail,
        };
    }

    public static string SerializeResult(object result) => JsonSerializer.Serialize(result, result.GetType(), JsonDefaults.Options);
}
