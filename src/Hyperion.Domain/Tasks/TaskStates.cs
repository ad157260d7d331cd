namespace Hyperion.Domain.Tasks;

/// <summary>Rules over <see cref="TaskState"/>: which states are final and which moves are allowed.</summary>
public static class TaskStates
{
    public static bool IsTerminal(TaskState state) => state is TaskState.Success or TaskState.Error or TaskState.Cancelled;

    /// <summary>Queued → running → success/error; queued or running → cancelled; nothing leaves a final state.</summary>
    public static bool CanMove(TaskState from, TaskState to) => (from, to) switch
    {
        (TaskState.Queued, TaskState.Running) => true,
        (TaskState.Queued or TaskState.Running, TaskState.Cancelled or TaskState.Error) => true,
        (TaskState.Running, TaskState.Success) => true,
        _ => false,
    };
}
