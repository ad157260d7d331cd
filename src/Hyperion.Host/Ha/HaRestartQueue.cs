using Hyperion.Domain.Ha;

namespace Hyperion.Host.Ha;

/// <summary>
/// The HA restarts this host carries out, at most <c>limit</c> at once (vSphere's per-host limit on concurrent
/// power-ons), highest restart priority first: a restart never takes a free slot while one of higher priority waits,
/// and one VM is never queued or restarted twice at the same time. The restarts run apart from the agent's round, so a
/// burst of them never holds up the lease keepalive. Each restart must catch its own failures.
/// </summary>
internal sealed class HaRestartQueue(int limit)
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _pending = [];
    private readonly HashSet<Guid> _running = [];
    private long _sequence;

    /// <summary>How many restarts run now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>How many restarts wait for a slot.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Whether VM <paramref name="uuid"/> waits or is being restarted.</summary>
    public bool Contains(Guid uuid)
    {
        lock (_gate)
        {
            return _running.Contains(uuid) || _pending.Exists(e => e.Uuid == uuid);
        }
    }

    /// <summary>
    /// Queues restarts (a VM already queued or running is skipped), then starts as many as there are free slots. All
    /// of one round are queued before any starts, so their priority order holds among them.
    /// </summary>
    public void Enqueue(IEnumerable<(Guid Uuid, HaRestartPriority Priority, Func<Task> Restart)> restarts)
    {
        ArgumentNullException.ThrowIfNull(restarts);
        lock (_gate)
        {
            foreach (var (uuid, priority, restart) in restarts)
            {
                if (!_running.Contains(uuid) && !_pending.Exists(e => e.Uuid == uuid))
                {
                    _pending.Add(new Entry(uuid, priority, ++_sequence, restart));
                }
            }
        }

        Pump();
    }

    /// <summary>Drops the restarts that have not started (the host lost its lease or HA was turned off); running ones finish.</summary>
    public void ClearWaiting()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    private void Pump()
    {
        while (true)
        {
            Entry next;
            lock (_gate)
            {
                if (_running.Count >= limit || _pending.Count == 0)
                {
                    return;
                }

                next = _pending.OrderByDescending(e => e.Priority).ThenBy(e => e.Sequence).First();
                _pending.Remove(next);
                _running.Add(next.Uuid);
            }

            _ = RunAsync(next);
        }
    }

    private async Task RunAsync(Entry entry)
    {
        try
        {
            await entry.Restart();
        }
        catch (OperationCanceledException)
        {
            // The agent stops: nothing to report.
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(entry.Uuid);
            }

            Pump();
        }
    }

    private sealed record Entry(Guid Uuid, HaRestartPriority Priority, long Sequence, Func<Task> Restart);
}
