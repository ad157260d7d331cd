using System.Text.Json;

namespace Hyperion.Contracts.Center;

/// <summary>
/// A Center task (vSphere's TaskInfo): every mutating operation is one. <see cref="State"/> is <c>queued</c>,
/// <c>running</c>, <c>success</c>, <c>error</c> or <c>cancelled</c>; <see cref="Progress"/> 0–100;
/// <see cref="Result"/> is the operation's answer on success (for example the created VM), <see cref="Error"/> the
/// problem on error or cancellation.
/// </summary>
public sealed record TaskDto(
    string Id,
    string DescriptionId,
    string? TargetId,
    string? TargetName,
    string Initiator,
    string State,
    int Progress,
    bool Cancellable,
    bool CancelRequested,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    JsonElement? Result,
    ProblemErrorDto? Error)
{
    /// <summary>What a running task is doing now, in words (a migration's memory transferred, passes, expected downtime); null when it has nothing to add to <see cref="Progress"/>.</summary>
    public string? ProgressDetail { get; init; }
}
