using Hyperion.Domain.Ha;
using Hyperion.Host.Ha;

namespace Hyperion.Host.Tests.Ha;

public sealed class HaRestartQueueTests
{
    [Fact]
    public void Enqueue_MoreThanTheLimit_RunsUpToTheLimit_HighestPriorityFirst_NoVmTwice()
    {
        var queue = new HaRestartQueue(2);
        var held = new Dictionary<Guid, TaskCompletionSource>();
        var begun = new List<string>();
        (Guid, HaRestartPriority, Func<Task>) Restart(string name, HaRestartPriority priority, Guid? uuid = null)
        {
            var id = uuid ?? Guid.NewGuid();
            return (id, priority, () =>
            {
                begun.Add(name);
                held[id] = new TaskCompletionSource();
                return held[id].Task;
            });
        }

        var low = Restart("low", HaRestartPriority.Low);
        var high = Restart("high", HaRestartPriority.High);
        queue.Enqueue([low, Restart("medium", HaRestartPriority.Medium), high, Restart("high2", HaRestartPriority.High)]);
        Assert.Equal(["high", "high2"], begun);
        Assert.Equal(2, queue.Running);
        Assert.Equal(2, queue.Waiting);

        // Queued again while waiting or running: skipped.
        queue.Enqueue([Restart("low again", HaRestartPriority.Low, low.Item1), Restart("high again", HaRestartPriority.High, high.Item1)]);
        Assert.Equal(2, queue.Waiting);

        // A later, higher-priority restart goes before those already waiting.
        queue.Enqueue([Restart("high3", HaRestartPriority.High)]);
        held[high.Item1].SetResult();
        Assert.Equal(["high", "high2", "high3"], begun);
        Assert.False(queue.Contains(high.Item1));

        while (held.Values.FirstOrDefault(h => !h.Task.IsCompleted) is { } next)
        {
            next.SetResult();
        }

        Assert.Equal(["high", "high2", "high3", "medium", "low"], begun);
        Assert.Equal(0, queue.Running);
    }

    [Fact]
    public void ClearWaiting_DropsTheWaiting_TheRunningFinish()
    {
        var queue = new HaRestartQueue(1);
        var gate = new TaskCompletionSource();
        var begun = 0;
        queue.Enqueue(Enumerable.Range(0, 3).Select(_ => (Guid.NewGuid(), HaRestartPriority.Medium, (Func<Task>)(() =>
        {
            begun++;
            return gate.Task;
        }))));

        queue.ClearWaiting();
        gate.SetResult();
        Assert.Equal(1, begun);
        Assert.Equal(0, queue.Running + queue.Waiting);
    }
}
