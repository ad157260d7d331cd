using Hyperion.Center.Tasks;
using Hyperion.Contracts.Center;

namespace Hyperion.Web.Inventory;

/// <summary>
/// Calls back when tasks finish (success, error or cancelled), for views that must show what tasks changed. Bursts are
/// coalesced: the callback runs once <see cref="Debounce"/> after the last finished task of a burst, never twice at once.
/// Only a signal: the view reloads through the usual, permission-checked reads.
/// </summary>
public sealed class TaskCompletionWatcher : IAsyncDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="relevant">Which finished tasks matter (null: all).</param>
    /// <param name="changed">Run after a burst of relevant finished tasks.</param>
    public TaskCompletionWatcher(TaskFeed feed, Func<TaskDto, bool>? relevant, Func<Task> changed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(changed);
        var subscription = feed.Subscribe();
        _loop = RunAsync(subscription, relevant, changed, _stop.Token);
    }

    public static bool Finished(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.State is "success" or "error" or "cancelled";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static async Task RunAsync(TaskFeed.Subscription subscription, Func<TaskDto, bool>? relevant, Func<Task> changed, CancellationToken stop)
    {
        using (subscription)
        {
            var reader = subscription.Reader;
            while (await reader.WaitToReadAsync(stop))
            {
                var hit = false;
                while (reader.TryRead(out var task))
                {
                    hit |= Finished(task) && (relevant is null || relevant(task));
                }

                if (!hit)
                {
                    continue;
                }

                // Wait for the burst to settle, taking in whatever else finishes meanwhile.
                await Task.Delay(Debounce, stop);
                while (reader.TryRead(out _))
                {
                }

                try
                {
                    await changed();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The view reports its own failures; a watcher outlives one failed refresh.
                }
            }
        }
    }
}
