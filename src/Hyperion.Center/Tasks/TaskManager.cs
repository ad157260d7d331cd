using System.Collections.Concurrent;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Center.Tasks;

/// <summary>
/// Runs the Center's tasks. <see cref="QueueAsync"/> commits the task as queued and returns at once (the API answers
/// 202 with it); the work runs in the background, one task at a time per target object and at most
/// <see cref="MaxConcurrent"/> in all, and every change of state or progress is committed and published on the
/// <see cref="TaskFeed"/>. Nothing is kept only in memory: a Center that dies mid-task finds the task queued or
/// running at its next start and <see cref="RecoverAsync"/> marks it failed with the reason.
/// </summary>
public sealed partial class TaskManager(
    IDbContextFactory<CenterDbContext> factory,
    TaskFeed feed,
    TimeProvider time,
    ILogger<TaskManager> logger) : IHostedService, IDisposable
{
    public const int MaxConcurrent = 16;

    /// <summary>How long a stopping Center waits for running tasks before it records them as interrupted.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<TaskId, Running> _running = new();
    private readonly KeyedLock<InventoryId> _targets = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _clock = new();
    private DateTimeOffset _lastQueuedAt;

    internal IDbContextFactory<CenterDbContext> Factory => factory;

    /// <summary>Marks every task left queued or running by a previous Center process as failed. Call before serving.</summary>
    public static async Task<int> RecoverAsync(IDbContextFactory<CenterDbContext> factory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(time);
        await using var db = factory.CreateDbContext();
        var now = time.GetUtcNow();
        return await db.Tasks
            .Where(t => t.State == TaskState.Queued || t.State == TaskState.Running)
            .ExecuteUpdateAsync(
                s => s.SetProperty(t => t.State, TaskState.Error)
                    .SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.ErrorCode, ErrorCodes.TaskInterrupted)
                    .SetProperty(t => t.ErrorMessage, "the Center restarted while this task was queued or running; check the target's state and retry if needed"),
                cancellationToken);
    }

    /// <summary>Commits the task as queued, starts its work in the background and returns the queued task.</summary>
    public async Task<TaskDto> QueueAsync(TaskSpec spec, Func<TaskContext, CancellationToken, Task<object?>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        TaskRecord record;
        await using (var db = factory.CreateDbContext())
        {
            record = new TaskRecord
            {
                Id = await db.AllocateTaskIdAsync(cancellationToken),
                DescriptionId = spec.DescriptionId,
                TargetId = spec.TargetId,
                TargetName = spec.TargetName,
                Initiator = spec.Initiator,
                Cancellable = spec.Cancellable,
                State = TaskState.Queued,
                QueuedAt = NextQueuedAt(),
            };
            db.Tasks.Add(record);
            await db.SaveChangesAsync(cancellationToken);
        }

        var dto = TaskMapper.ToDto(record);
        feed.Publish(dto);
        var running = new Running(spec.Cancellable, _stopping.Token);
        _running[record.Id] = running;
        // Take the place in the target's queue now, so operations on one object run in the order they were asked for.
        var targetTurn = spec.TargetId is { } target ? _targets.AcquireAsync(target, running.QueuedToken) : null;
        running.Completion = Task.Run(() => RunAsync(record.Id, spec, work, running, targetTurn), CancellationToken.None);
        return dto;
    }

    /// <summary>Records a task for an operation that already completed synchronously in the caller's transaction.</summary>
    public async Task<TaskRecord> RecordCompletedAsync(CenterDbContext db, TaskSpec spec, object? result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(spec);
        var now = NextQueuedAt();
        var record = new TaskRecord
        {
            Id = await db.AllocateTaskIdAsync(cancellationToken),
            DescriptionId = spec.DescriptionId,
            TargetId = spec.TargetId,
            TargetName = spec.TargetName,
            Initiator = spec.Initiator,
            State = TaskState.Success,
            Progress = 100,
            QueuedAt = now,
            StartedAt = now,
            CompletedAt = now,
            ResultJson = result is null ? null : TaskMapper.SerializeResult(result),
        };
        db.Tasks.Add(record);
        return record;
    }

    /// <summary>Publishes a task recorded by <see cref="RecordCompletedAsync"/> once its transaction committed.</summary>
    public void Published(TaskRecord record) => feed.Publish(TaskMapper.ToDto(record));

    public async Task<TaskDto> GetAsync(TaskId id, CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        var record = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw NotFound(id.Value);
        return TaskMapper.ToDto(record);
    }

    /// <summary>Waits until the task ends or <paramref name="timeout"/> passes, and returns it as it is then.</summary>
    public async Task<TaskDto> WaitAsync(TaskId id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe();
        var current = await GetAsync(id, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!IsTerminal(current))
            {
                var next = await subscription.Reader.ReadAsync(deadline.Token);
                if (next.Id == id.Value)
                {
                    current = next;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            current = await GetAsync(id, cancellationToken);
        }

        return current;
    }

    /// <summary>
    /// Cancels a queued task, or a running one whose operation allows it. The task ends as cancelled once its work
    /// has stopped; the answer is the task at the time of the request (with <c>cancelRequested</c> set).
    /// </summary>
    public async Task<TaskDto> CancelAsync(TaskId id, string userName, CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        var record = await db.Tasks.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw NotFound(id.Value);
        if (TaskStates.IsTerminal(record.State))
        {
            throw new DomainException(ErrorCodes.TaskFinished, $"task {id} already ended ({record.State.ToString().ToLowerInvariant()})");
        }

        if (record.State == TaskState.Running && !record.Cancellable)
        {
            throw new DomainException(ErrorCodes.TaskNotCancellable, $"task {id} ({record.DescriptionId}) is running and its operation cannot be cancelled");
        }

        record.CancelRequested = true;
        await db.SaveChangesAsync(cancellationToken);
        LogCancelRequested(logger, id.Value, userName);
        if (_running.TryGetValue(id, out var running))
        {
            running.RequestCancel(userName);
        }
        else
        {
            // No worker in this process (it ended meanwhile or never ran here): end the record directly.
            await FinishAsync(id, TaskState.Cancelled, null, ErrorCodes.TaskCancelled, $"cancelled by {userName}", CancellationToken.None);
        }

        return await GetAsync(id, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks running work to stop, waits up to <see cref="StopGrace"/>, then records what is left as interrupted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var pending = _running.Values.Select(r => r.Completion).Where(t => t is not null).Cast<Task>().ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(StopGrace, time, CancellationToken.None));
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _slots.Dispose();
    }

    internal async Task ReportProgressAsync(TaskId id, int percent, string? detail, CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        var changed = detail is null
            ? await db.Tasks.Where(t => t.Id == id && t.State == TaskState.Running && t.Progress < percent)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Progress, percent), cancellationToken)
            : await db.Tasks.Where(t => t.Id == id && t.State == TaskState.Running && (t.Progress < percent || t.ProgressDetail != detail))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Progress, t => t.Progress < percent ? percent : t.Progress).SetProperty(t => t.ProgressDetail, detail), cancellationToken);
        if (changed > 0)
        {
            await PublishAsync(db, id, cancellationToken);
        }
    }

    /// <summary>
    /// The queue time of a new task: the clock, but strictly after the previous task's, so the time orders tasks
    /// totally and serves as the list's keyset cursor.
    /// </summary>
    private DateTimeOffset NextQueuedAt()
    {
        lock (_clock)
        {
            var now = time.GetUtcNow();
            _lastQueuedAt = now > _lastQueuedAt ? now : _lastQueuedAt.AddTicks(1);
            return _lastQueuedAt;
        }
    }

    private static bool IsTerminal(TaskDto task) => task.State is "success" or "error" or "cancelled";

    private static DomainException NotFound(string id) => new(ErrorCodes.TaskNotFound, $"no task '{id}'");

    private async Task RunAsync(TaskId id, TaskSpec spec, Func<TaskContext, CancellationToken, Task<object?>> work, Running running, Task<IDisposable>? targetTurn)
    {
        IDisposable? targetLock = null;
        IDisposable? admission = null;
        var slot = false;
        try
        {
            // Queued: waiting for the target and a slot; any task may be cancelled here.
            if (targetTurn is not null)
            {
                targetLock = await targetTurn;
            }

            if (spec.Admission is { } admit)
            {
                admission = await admit(running.QueuedToken);
            }

            await _slots.WaitAsync(running.QueuedToken);
            slot = true;
            running.QueuedToken.ThrowIfCancellationRequested();
            if (!await MoveToRunningAsync(id))
            {
                return;
            }

            running.Started();
            var result = await work(new TaskContext(this, id, spec), running.WorkToken);
            await FinishAsync(id, TaskState.Success, result, null, null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (running.CancelledBy is not null)
        {
            await FinishAsync(id, TaskState.Cancelled, null, ErrorCodes.TaskCancelled, $"cancelled by {running.CancelledBy}", CancellationToken.None);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            await FinishAsync(id, TaskState.Error, null, ErrorCodes.TaskInterrupted, "the Center stopped while this task was running", CancellationToken.None);
        }
        catch (DomainException ex)
        {
            await FinishAsync(id, TaskState.Error, null, ex.Code, ex.Message, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogTaskCrashed(logger, id.Value, spec.DescriptionId, ex);
            await FinishAsync(id, TaskState.Error, null, "center.error", $"internal error: {ex.Message}", CancellationToken.None);
        }
        finally
        {
            if (slot)
            {
                _slots.Release();
            }

            admission?.Dispose();
            targetLock?.Dispose();
            _running.TryRemove(id, out _);
            running.Dispose();
        }
    }

    private async Task<bool> MoveToRunningAsync(TaskId id)
    {
        await using var db = factory.CreateDbContext();
        var now = time.GetUtcNow();
        var moved = await db.Tasks.Where(t => t.Id == id && t.State == TaskState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TaskState.Running).SetProperty(t => t.StartedAt, now), CancellationToken.None);
        await PublishAsync(db, id, CancellationToken.None);
        return moved == 1;
    }

    private async Task FinishAsync(TaskId id, TaskState state, object? result, string? errorCode, string? errorMessage, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = factory.CreateDbContext();
            var now = time.GetUtcNow();
            var json = result is null ? null : TaskMapper.SerializeResult(result);
            var progress = state == TaskState.Success ? 100 : -1;
            await db.Tasks.Where(t => t.Id == id && (t.State == TaskState.Queued || t.State == TaskState.Running))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(t => t.State, state)
                        .SetProperty(t => t.CompletedAt, now)
                        .SetProperty(t => t.Progress, t => progress >= 0 ? progress : t.Progress)
                        .SetProperty(t => t.ResultJson, json)
                        .SetProperty(t => t.ErrorCode, errorCode)
                        .SetProperty(t => t.ErrorMessage, errorMessage),
                    cancellationToken);
            await PublishAsync(db, id, cancellationToken);
            if (state != TaskState.Success)
            {
                LogTaskFailed(logger, id.Value, state.ToString(), errorCode ?? string.Empty, errorMessage ?? string.Empty);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or ObjectDisposedException)
        {
            // The database is unreachable or the Center is going away: the next start's recovery records the task.
            LogFinishFailed(logger, id.Value, ex);
        }
    }

    private async Task PublishAsync(CenterDbContext db, TaskId id, CancellationToken cancellationToken)
    {
        var record = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (record is not null)
        {
            feed.Publish(TaskMapper.ToDto(record));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "task {TaskId}: cancel requested by {User}")]
    private static partial void LogCancelRequested(ILogger logger, string taskId, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task {TaskId} ended {State}: {Code} {Message}")]
    private static partial void LogTaskFailed(ILogger logger, string taskId, string state, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "task {TaskId} ({DescriptionId}) failed with an unexpected error")]
    private static partial void LogTaskCrashed(ILogger logger, string taskId, string descriptionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "task {TaskId}: could not record its end")]
    private static partial void LogFinishFailed(ILogger logger, string taskId, Exception exception);

    /// <summary>The cancellation state of one task in this process.</summary>
    private sealed class Running : IDisposable
    {
        private readonly CancellationTokenSource _user = new();
        private readonly CancellationTokenSource _queued;
        private readonly CancellationTokenSource _work;
        private readonly bool _cancellable;
        private volatile bool _started;

        public Running(bool cancellable, CancellationToken stopping)
        {
            _cancellable = cancellable;
            _queued = CancellationTokenSource.CreateLinkedTokenSource(_user.Token, stopping);
            _work = cancellable ? CancellationTokenSource.CreateLinkedTokenSource(_user.Token, stopping) : CancellationTokenSource.CreateLinkedTokenSource(stopping);
        }

        public Task? Completion { get; set; }

        public string? CancelledBy { get; private set; }

        public CancellationToken QueuedToken => _queued.Token;

        public CancellationToken WorkToken => _work.Token;

        public void Started() => _started = true;

        public void RequestCancel(string userName)
        {
            if (_started && !_cancellable)
            {
                return;
            }

            CancelledBy ??= userName;
            try
            {
                _user.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ended meanwhile.
            }
        }

        public void Dispose()
        {
            _work.Dispose();
            _queued.Dispose();
            _user.Dispose();
        }
    }
}
