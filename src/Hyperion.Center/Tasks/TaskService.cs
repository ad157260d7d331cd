using System.Globalization;
using System.Text;
using Hyperion.Center.Authorization;
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
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task<PageDto<TaskDto>> ListAsync(AuthenticatedUser actor, TaskListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxLimit}", "limit"));
        }

        IQueryable<TaskRecord> tasks = db.Tasks.AsNoTracking();
        if (!string.IsNullOrEmpty(query.State))
        {
            if (!Enum.TryParse<TaskState>(query.State, ignoreCase: true, out var state) || !Enum.IsDefined(state))
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

        if (query.Cursor is not null)
        {
            var at = DecodeCursor(query.Cursor);
            tasks = tasks.Where(t => t.QueuedAt < at);
        }

        // Newest first (QueuedAt is unique: see TaskManager.NextQueuedAt). Visibility is decided per distinct target, so read in chunks until the page is full.
        var visible = new List<TaskDto>(limit);
        var decided = new Dictionary<InventoryId, bool>();
        TaskRecord? last = null;
        var more = false;
        var ordered = tasks.OrderByDescending(t => t.QueuedAt);
        var skip = 0;
        while (visible.Count <= limit)
        {
            var chunk = await ordered.Skip(skip).Take(limit + 1).ToListAsync(cancellationToken);
            skip += chunk.Count;
            foreach (var task in chunk)
            {
                if (!await VisibleAsync(actor, task, decided, cancellationToken))
                {
                    continue;
                }

                if (visible.Count == limit)
                {
                    more = true;
                    break;
                }

                visible.Add(TaskMapper.ToDto(task));
                last = task;
            }

            if (more || chunk.Count <= limit)
            {
                break;
            }
        }

        var total = await tasks.LongCountAsync(cancellationToken);
        return new PageDto<TaskDto>(visible, total, more && last is not null ? EncodeCursor(last) : null);
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

    private static string EncodeCursor(TaskRecord task) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"t:{task.QueuedAt.UtcTicks}")));

    private static DateTimeOffset DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (parts.Length == 2 && parts[0] == "t"
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                return new DateTimeOffset(ticks, TimeSpan.Zero);
            }
        }
        catch (FormatException)
        {
            // Falls through to the problem below.
        }

        throw new DomainException(new DomainError(ErrorCodes.InvalidArgument, "cursor is not one this Center handed out", "cursor"));
    }
}

/// <summary>Filters of <c>GET /api/tasks</c>.</summary>
public sealed record TaskListQuery(string? State, string? Target, string? Initiator, int? Limit, string? Cursor);
