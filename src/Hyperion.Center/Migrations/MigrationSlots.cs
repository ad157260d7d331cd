using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Migrations;

/// <summary>
/// vSphere's migration slots: each host takes part in at most <see cref="PerHost"/> migrations at once (as source or
/// destination); a migration needs a slot on both its hosts and waits, queued, until it has them. High-priority
/// migrations are granted before normal ones; within a priority, first come first served.
/// </summary>
public sealed class MigrationSlots(int perHost)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InventoryId, int> _used = [];
    private readonly List<Waiter> _waiting = [];
    private long _sequence;

    public int PerHost { get; } = perHost > 0 ? perHost : throw new ArgumentOutOfRangeException(nameof(perHost));

    /// <summary>How many slots of <paramref name="host"/> are taken now.</summary>
    public int InUse(InventoryId host)
    {
        lock (_gate)
        {
            return _used.GetValueOrDefault(host);
        }
    }

    public async Task<IDisposable> AcquireAsync(IReadOnlyList<InventoryId> hosts, bool highPriority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        Waiter waiter;
        lock (_gate)
        {
            waiter = new Waiter(hosts.Distinct().ToList(), highPriority, _sequence++);
            _waiting.Add(waiter);
            Grant();
        }

        await using (cancellationToken.Register(() => Abandon(waiter)))
        {
            await waiter.Granted.Task;
        }

        return new Lease(this, waiter.Hosts);
    }

    private void Abandon(Waiter waiter)
    {
        lock (_gate)
        {
            if (_waiting.Remove(waiter))
            {
                waiter.Granted.TrySetCanceled();
            }
        }
    }

    private void Release(IReadOnlyList<InventoryId> hosts)
    {
        lock (_gate)
        {
            foreach (var host in hosts)
            {
                _used[host] = _used.GetValueOrDefault(host) - 1;
            }

            Grant();
        }
    }

    /// <summary>Under the gate: grants, in priority order, every waiter whose hosts all have a free slot.</summary>
    private void Grant()
    {
        foreach (var waiter in _waiting.OrderByDescending(w => w.HighPriority).ThenBy(w => w.Sequence).ToList())
        {
            if (waiter.Hosts.All(h => _used.GetValueOrDefault(h) < PerHost))
            {
                foreach (var host in waiter.Hosts)
                {
                    _used[host] = _used.GetValueOrDefault(host) + 1;
                }

                _waiting.Remove(waiter);
                waiter.Granted.TrySetResult();
            }
        }
    }

    private sealed record Waiter(IReadOnlyList<InventoryId> Hosts, bool HighPriority, long Sequence)
    {
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(MigrationSlots owner, IReadOnlyList<InventoryId> hosts) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(hosts);
            }
        }
    }
}
