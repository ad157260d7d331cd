using Hyperion.Center.Persistence;
using Hyperion.Domain.Tasks;

namespace Hyperion.Center.Tasks;

/// <summary>What a running task's work sees: its id, a way to report progress, and the Center's database.</summary>
public sealed class TaskContext
{
    private readonly TaskManager _manager;

    internal TaskContext(TaskManager manager, TaskId id, TaskSpec spec)
    {
        _manager = manager;
        Id = id;
        Spec = spec;
    }

    public TaskId Id { get; }

    public TaskSpec Spec { get; }

    public CenterDbContext CreateDbContext() => _manager.Factory.CreateDbContext();

    /// <summary>Records progress (0–100, never going back) and tells followers.</summary>
    public Task ReportProgressAsync(int percent, CancellationToken cancellationToken) =>
        _manager.ReportProgressAsync(Id, Math.Clamp(percent, 0, 99), null, cancellationToken);

    /// <summary>Records progress and what the task is doing now, in words (<see cref="Contracts.Center.TaskDto.ProgressDetail"/>).</summary>
    public Task ReportProgressAsync(int percent, string detail, CancellationToken cancellationToken) =>
        _manager.ReportProgressAsync(Id, Math.Clamp(percent, 0, 99), detail.Length > 512 ? detail[..512] : detail, cancellationToken);
}
