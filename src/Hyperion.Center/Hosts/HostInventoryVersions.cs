using System.Collections.Concurrent;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Hosts;

/// <summary>
/// A change counter per host, so a heartbeat never applies a stale picture over a task's fresh one. A task that acts
/// on a host's VMs bumps the host's counter before it calls the host and again after the host answered (before it
/// records the result); the monitor reads the counter before it asks the host for its VMs and applies what the host
/// said only if the counter has not moved by the time it has read the Center's records. Otherwise the round keeps its
/// hands off the VMs and the next round, asked after the task, brings them in line.
/// </summary>
public sealed class HostInventoryVersions
{
    private readonly ConcurrentDictionary<InventoryId, long> _versions = new();
    private readonly ConcurrentDictionary<InventoryId, int> _inFlight = new();

    public long Current(InventoryId hostId) => _versions.GetValueOrDefault(hostId);

    /// <summary>Whether a task's call on the host's VMs is under way: what the host reports now is that task's to record.</summary>
    public bool Busy(InventoryId hostId) => _inFlight.GetValueOrDefault(hostId) > 0;

    public void Bump(InventoryId hostId) => _versions.AddOrUpdate(hostId, 1, (_, v) => v + 1);

    /// <summary>Runs a call that changes the host's VMs between two bumps.</summary>
    public async Task<T> AroundAsync<T>(InventoryId hostId, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _inFlight.AddOrUpdate(hostId, 1, (_, n) => n + 1);
        Bump(hostId);
        try
        {
            return await call();
        }
        finally
        {
            Bump(hostId);
            _inFlight.AddOrUpdate(hostId, 0, (_, n) => n - 1);
        }
    }
}
