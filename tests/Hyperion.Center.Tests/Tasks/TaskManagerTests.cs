using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Tasks;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hyperion.Center.Tests.Tasks;

/// <summary>The task runner against a real SQLite database: states, results, errors, cancellation, serialization, recovery.</summary>
public sealed class TaskManagerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly InventoryId Vm = InventoryId.Create(InventoryObjectKind.Vm, 42);
    private SqliteCenter _center = null!;
    private TaskManager _manager = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        _manager = new TaskManager(_center.Factory, new TaskFeed(), TimeProvider.System, NullLogger<TaskManager>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _manager.StopAsync(Ct);
        await _center.DisposeAsync();
    }

    public void Dispose() => _manager.Dispose();

    [Fact]
    public async Task QueueAsync_WorkReturns_SuccessWithResultAndFullProgress()
    {
        var queued = await _manager.QueueAsync(Spec(), async (context, ct) =>
        {
            await context.ReportProgressAsync(40, ct);
            return new { answer = 42 };
        }, Ct);

        var done = await WaitAsync(queued);

        Assert.Equal("queued", queued.State);
        Assert.Equal("success", done.State);
        Assert.Equal(100, done.Progress);
        Assert.Equal(42, done.Result!.Value.GetProperty("answer").GetInt32());
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
        Assert.Null(done.Error);
    }

    [Fact]
    public async Task QueueAsync_WorkThrowsDomainError_ErrorWithItsCode()
    {
        var queued = await _manager.QueueAsync(Spec(), (_, _) => throw new DomainException(ErrorCodes.VmInvalidState, "VM is powered on"), Ct);

        var done = await WaitAsync(queued);

        Assert.Equal("error", done.State);
        Assert.Equal((ErrorCodes.VmInvalidState, "VM is powered on"), (done.Error!.Code, done.Error.Message));
    }

    [Fact]
    public async Task CancelAsync_CancellableRunning_EndsCancelled()
    {
        var started = new TaskCompletionSource();
        var queued = await _manager.QueueAsync(Spec(cancellable: true), async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }, Ct);
        await started.Task.WaitAsync(Wait);

        var requested = await _manager.CancelAsync(Id(queued), "alice", Ct);
        var done = await WaitAsync(queued);

        Assert.True(requested.CancelRequested);
        Assert.Equal("cancelled", done.State);
        Assert.Equal(ErrorCodes.TaskCancelled, done.Error!.Code);
        Assert.Contains("alice", done.Error.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<DomainException>(() => _manager.CancelAsync(Id(queued), "alice", Ct));
        Assert.Equal(ErrorCodes.TaskFinished, again.Code);
    }

    [Fact]
    public async Task CancelAsync_NotCancellableRunning_RefusedAndWorkFinishes()
    {
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var queued = await _manager.QueueAsync(Spec(), async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return null;
        }, Ct);
        await started.Task.WaitAsync(Wait);

        var refused = await Assert.ThrowsAsync<DomainException>(() => _manager.CancelAsync(Id(queued), "alice", Ct));
        release.SetResult();

        Assert.Equal(ErrorCodes.TaskNotCancellable, refused.Code);
        Assert.Equal("success", (await WaitAsync(queued)).State);
    }

    [Fact]
    public async Task QueueAsync_SameTarget_RunOneAfterAnotherAndQueuedOneCanBeCancelled()
    {
        var release = new TaskCompletionSource();
        var running = 0;
        var maxRunning = 0;
        async Task<object?> Work(TaskContext context, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref running);
            maxRunning = Math.Max(maxRunning, now);
            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref running);
            return null;
        }

        var first = await _manager.QueueAsync(Spec(), Work, Ct);
        var second = await _manager.QueueAsync(Spec(), Work, Ct);
        var third = await _manager.QueueAsync(Spec(), Work, Ct);
        await Task.Delay(200);
        var secondWhileFirstRuns = await _manager.GetAsync(Id(second), Ct);
        await _manager.CancelAsync(Id(third), "bob", Ct);
        release.SetResult();

        Assert.Equal("queued", secondWhileFirstRuns.State);
        Assert.Equal("success", (await WaitAsync(first)).State);
        Assert.Equal("success", (await WaitAsync(second)).State);
        Assert.Equal("cancelled", (await WaitAsync(third)).State);
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public async Task RecoverAsync_TasksLeftQueuedOrRunning_MarkedInterrupted()
    {
        await using (var db = _center.Factory.CreateDbContext())
        {
            foreach (var state in new[] { TaskState.Queued, TaskState.Running, TaskState.Success })
            {
                db.Tasks.Add(new TaskRecord { Id = await db.AllocateTaskIdAsync(Ct), DescriptionId = "x", Initiator = "u", State = state, QueuedAt = DateTimeOffset.UtcNow });
            }

            await db.SaveChangesAsync(Ct);
        }

        var marked = await TaskManager.RecoverAsync(_center.Factory, TimeProvider.System, Ct);

        await using var check = _center.Factory.CreateDbContext();
        var tasks = await check.Tasks.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(2, marked);
        Assert.Equal(2, tasks.Count(t => t.State == TaskState.Error && t.ErrorCode == ErrorCodes.TaskInterrupted && t.CompletedAt != null));
        Assert.Single(tasks, t => t.State == TaskState.Success);
    }

    [Fact]
    public async Task QueueAsync_ManyAtOnce_QueuedAtStrictlyIncreasing()
    {
        var tasks = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _manager.QueueAsync(Spec(target: InventoryId.Create(InventoryObjectKind.Vm, 100 + i)), (_, _) => Task.FromResult<object?>(null), Ct)));

        var times = tasks.Select(t => t.QueuedAt).Order().ToList();
        Assert.Equal(times.Count, times.Distinct().Count());
    }

    private static TaskSpec Spec(bool cancellable = false, InventoryId? target = null) => new("VirtualMachine.test", target ?? Vm, "vm", "alice", cancellable);

    private static TaskId Id(TaskDto task) => TaskId.TryParse(task.Id, out var id) ? id : throw new InvalidOperationException(task.Id);

    private Task<TaskDto> WaitAsync(TaskDto task) => _manager.WaitAsync(Id(task), Wait, Ct);
}
