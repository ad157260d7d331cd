using Hyperion.Center.Paging;
using Hyperion.Center.Tasks;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Services;

namespace Hyperion.Web.Live;

/// <summary>
/// The recent tasks one circuit shows, kept current: the newest visible tasks from the database, then every change
/// the <see cref="TaskFeed"/> publishes for a task the user may see (each new task id is checked once through
/// <see cref="TaskService.GetAsync"/>, which enforces visibility, and the answer cached). Changes are announced through
/// a <see cref="RenderThrottle"/>, so a burst of progress updates costs a few renders, not one each.
/// Owned by one component and disposed with it.
/// </summary>
public sealed class RecentTaskFollower : IAsyncDisposable
{
    private readonly TaskFeed _feed;
    private readonly CenterSession _session;
    private readonly RenderThrottle _throttle;
    private readonly int _capacity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, TaskDto> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _visible = new(StringComparer.Ordinal);
    private readonly Dictionary<InventoryId, bool> _cancelPrivilege = [];
    private readonly HashSet<InventoryId> _deciding = [];
    private readonly Lock _gate = new();
    private TaskDto[] _snapshot = [];
    private TaskFeed.Subscription? _subscription;
    private Task? _loop;
    private string? _userName;

    /// <param name="changed">Re-renders the owner (marshalled to its renderer, e.g. <c>() =&gt; InvokeAsync(StateHasChanged)</c>).</param>
    /// <param name="capacity">How many tasks to keep, newest first.</param>
    /// <param name="minRenderInterval">Shortest time between two renders (default 200 ms: at most 5 a second).</param>
    public RecentTaskFollower(TaskFeed feed, CenterSession session, Func<Task> changed, int capacity = 20, TimeSpan? minRenderInterval = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _feed = feed;
        _session = session;
        _capacity = capacity;
        _throttle = new RenderThrottle(changed, minRenderInterval ?? TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The tasks to show, newest first.</summary>
    public IReadOnlyList<TaskDto> Tasks => Volatile.Read(ref _snapshot);

    /// <summary>Why the list could not be loaded, if it could not.</summary>
    public string? Error { get; private set; }

    public bool Loaded { get; private set; }

    /// <summary>Subscribes to the feed, loads the newest visible tasks, then follows the feed in the background.</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_subscription is not null)
        {
            return;
        }

        // Subscribe first: a change between the load and the subscription would otherwise be lost.
        _subscription = _feed.Subscribe();
        try
        {
            var user = await _session.UserAsync();
            _userName = user.Name;
            var page = await _session.CallAsync<TaskService, PageDto<TaskDto>>(
                (s, u, ct) => s.ListAsync(u, new TaskListQuery(null, null, null), new PageRequest(_capacity, null), ct), _stopping.Token);
            lock (_gate)
            {
                foreach (var task in page.Items)
                {
                    _visible[task.Id] = true;
                    _tasks.TryAdd(task.Id, task);
                }

                Publish();
            }
        }
        catch (DomainException ex)
        {
            Error = CenterSession.Describe(ex);
        }

        Loaded = true;
        _loop = FollowAsync(_subscription, _stopping.Token);
    }

    /// <summary>Whether the user may cancel <paramref name="task"/> now, and why not when not.</summary>
    public (bool Allowed, string? Reason) CancelDecision(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.Cancellable)
        {
            return (false, "This operation cannot be cancelled");
        }

        if (TaskText.IsFinished(task.State))
        {
            return (false, "The task has ended");
        }

        if (task.CancelRequested)
        {
            return (false, "Cancellation requested");
        }

        if (string.Equals(task.Initiator, _userName, StringComparison.Ordinal))
        {
            return (true, null);
        }

        var target = TargetOf(task);
        lock (_gate)
        {
            if (_cancelPrivilege.TryGetValue(target, out var allowed))
            {
                return allowed ? (true, null) : (false, $"You need the {Privileges.TaskCancel} privilege on {task.TargetName ?? target.Value} to cancel another user's task");
            }

            if (!_deciding.Add(target))
            {
                return (false, "Checking your privileges…");
            }
        }

        _ = DecideCancelAsync(target);
        return (false, "Checking your privileges…");
    }

    /// <summary>Asks the Center to cancel <paramref name="task"/>; the feed brings the outcome.</summary>
    public async Task<TaskDto> CancelAsync(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var answer = await _session.CallAsync<TaskService, TaskDto>((s, u, ct) => s.CancelAsync(u, task.Id, ct), _stopping.Token);
        Apply(answer);
        return answer;
    }

    private static InventoryId TargetOf(TaskDto task) =>
        task.TargetId is not null && InventoryId.TryParse(task.TargetId, out var id) ? id : InventoryId.RootFolder;

    private async Task DecideCancelAsync(InventoryId target)
    {
        bool allowed;
        try
        {
            allowed = (await _session.PrivilegesAsync(target, _stopping.Token)).Contains(Privileges.TaskCancel);
        }
        catch (DomainException)
        {
            allowed = false;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            _cancelPrivilege[target] = allowed;
            _deciding.Remove(target);
        }

        _throttle.Request();
    }

    private async Task FollowAsync(TaskFeed.Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var task in subscription.Reader.ReadAllAsync(cancellationToken))
            {
                if (await VisibleAsync(task, cancellationToken))
                {
                    Apply(task);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task<bool> VisibleAsync(TaskDto task, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_visible.TryGetValue(task.Id, out var known))
            {
                return known;
            }
        }

        bool visible;
        if (string.Equals(task.Initiator, _userName, StringComparison.Ordinal))
        {
            visible = true;
        }
        else
        {
            try
            {
                await _session.CallAsync<TaskService, TaskDto>((s, u, ct) => s.GetAsync(u, task.Id, null, ct), cancellationToken);
                visible = true;
            }
            catch (DomainException)
            {
                visible = false;
            }
        }

        lock (_gate)
        {
            _visible[task.Id] = visible;
        }

        return visible;
    }

    private void Apply(TaskDto task)
    {
        lock (_gate)
        {
            // The feed may bring a change older than what the first load read: an ended task never goes back.
            if (_tasks.TryGetValue(task.Id, out var current) && TaskText.IsFinished(current.State) && !TaskText.IsFinished(task.State))
            {
                return;
            }

            _tasks[task.Id] = task;
            Publish();
        }

        _throttle.Request();
    }

    /// <summary>Rebuilds the snapshot, newest first, and forgets what falls off the end. Called under the lock.</summary>
    private void Publish()
    {
        var ordered = _tasks.Values.OrderByDescending(t => t.QueuedAt).ToArray();
        if (ordered.Length > _capacity)
        {
            foreach (var old in ordered[_capacity..])
            {
                _tasks.Remove(old.Id);
            }

            ordered = ordered[.._capacity];
        }

        Volatile.Write(ref _snapshot, ordered);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _subscription?.Dispose();
        _throttle.Dispose();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stopping.Dispose();
    }
}
