using Hyperion.Center.Authorization;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tasks;

/// <summary>
/// The API's view of tasks: a user sees the tasks they started and the tasks on objects they may see
/// (<see cref="Privileges.SystemView"/>; tasks without a target need it on the root folder). Cancelling needs to be
/// the initiator or hold <see cref="Privileges.TaskCancel"/> on the target.
/// </summary>
public sealed class TaskService(CenterDbContext db, AccessControl access, TaskManager manager)
{
    /// <summary>Newest first: <c>queuedAt</c> is unique (see <c>TaskManager.NextQueuedAt</c>) and indexed.</summary>
    private static readonly KeysetOrder<TaskRecord> Order = KeysetOrder<TaskRecord>.By(t => t.QueuedAt, descending: true);

    /// <summary>Newest first; the visible tasks only, decided in SQL (<see cref="VisibilityEvaluator.FilterByObject"/>).</summary>
    public async Task<PageDto<TaskDto>> ListAsync(AuthenticatedUser actor, TaskListQuery query, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        IQueryable<TaskRecord> tasks = db.Tasks.AsNoTracking();
        if (!string.IsNullOrEmpty(query.State))
        {
            if (!Enum.TryParse<TaskState>(query.State, ignoreCase: true, out var state) || !Enum.IsDefined(state) || query.State.Any(char.IsDigit))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"state '{query.State}' is not one of queued, running, success, error, cancelled", "state"));
            }

            tasks = tasks.Where(t => t.State == state);
        }

        if (!string.IsNullOrEmpty(query.Target))
        {
            if (!InventoryId.TryParse(query.Target, out var target))
            {
                throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"target '{query.Target}' is not an inventory id such as vm-42", "target"));
            }

            tasks = tasks.Where(t => t.TargetId == target);
        }

        if (!string.IsNullOrEmpty(query.Initiator))
        {
            tasks = tasks.Where(t => t.Initiator == query.Initiator);
        }

        var visibility = await access.VisibilityAsync(actor.Name, Privileges.SystemView, cancellationToken);
        var seesRoot = visibility.Unrestricted || visibility.Allows(InventoryId.RootFolder);
        var name = actor.Name;
        tasks = visibility.FilterByObject(tasks, t => t.TargetId, db.Vms.AsNoTracking(), withoutObject: seesRoot, orElse: t => t.Initiator == name);
        return await tasks.ToPageAsync(Order, page, TaskMapper.ToDto, cancellationToken);
    }

    public async Task<TaskDto> GetAsync(AuthenticatedUser actor, string id, TimeSpan? wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var taskId = Parse(id);
        var record = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken) ?? throw NotFound(id);
        if (!await VisibleAsync(actor, record, [], cancellationToken))
        {
            throw NotFound(id);
        }

        return wait is { } timeout && timeout > TimeSpan.Zero
            ? await manager.WaitAsync(taskId, timeout, cancellationToken)
            : TaskMapper.ToDto(record);
    }

    public async Task<TaskDto> CancelAsync(AuthenticatedUser actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var taskId = Parse(id);
        var record = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken) ?? throw NotFound(id);
        if (!await VisibleAsync(actor, record, [], cancellationToken))
        {
            throw NotFound(id);
        }

        if (!string.Equals(record.Initiator, actor.Name, StringComparison.Ordinal))
        {
            await access.RequireAsync(actor.Name, record.TargetId ?? InventoryId.RootFolder, Privileges.TaskCancel, cancellationToken);
        }

        return await manager.CancelAsync(taskId, actor.Name, cancellationToken);
    }

    /// <summary>Whether <paramref name="actor"/> may see <paramref name="task"/>; <paramref name="decided"/> caches per target.</summary>
    public async Task<bool> VisibleAsync(AuthenticatedUser actor, TaskRecord task, Dictionary<InventoryId, bool> decided, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(decided);
        if (string.Equals(task.Initiator, actor.Name, StringComparison.Ordinal))
        {
            return true;
        }

        var target = task.TargetId ?? InventoryId.RootFolder;
        if (!decided.TryGetValue(target, out var visible))
        {
            // A deleted target has no ancestry: only the initiator and those who see the root keep seeing its tasks.
            visible = await access.HasAsync(actor.Name, target, Privileges.SystemView, cancellationToken)
                || await access.HasAsync(actor.Name, InventoryId.RootFolder, Privileges.SystemView, cancellationToken);
            decided[target] = visible;
        }

        return visible;
    }

    private static TaskId Parse(string id) => TaskId.TryParse(id, out var taskId) ? taskId : throw NotFound(id);

    private static DomainException NotFound(string id) => new(ErrorCodes.TaskNotFound, $"no task '{id}'");
}

/// <summary>Filters of <c>GET /api/tasks</c>.</summary>
public sealed record TaskListQuery(string? State, string? Target, string? Initiator);
