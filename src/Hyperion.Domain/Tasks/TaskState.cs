namespace Hyperion.Domain.Tasks;

/// <summary>The states of a Task, as vSphere's TaskInfo.State plus an explicit cancelled end state.</summary>
public enum TaskState
{
    Queued,
    Running,
    Success,
    Error,
    Cancelled,
}
