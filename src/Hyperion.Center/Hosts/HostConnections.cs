using System.Collections.Concurrent;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Hosts;

/// <summary>One <see cref="HostAgentClient"/> per managed host, reused across heartbeats and replaced when its settings change.</summary>
public sealed class HostConnections : IDisposable
{
    private readonly ConcurrentDictionary<InventoryId, HostAgentClient> _clients = new();

    public HostAgentClient Get(InventoryId hostId, HostConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        while (true)
        {
            var client = _clients.GetOrAdd(hostId, _ => new HostAgentClient(settings));
            if (client.Settings == settings)
            {
                return client;
            }

            if (_clients.TryRemove(new KeyValuePair<InventoryId, HostAgentClient>(hostId, client)))
            {
                client.Dispose();
            }
        }
    }

    public void Remove(InventoryId hostId)
    {
        if (_clients.TryRemove(hostId, out var client))
        {
            client.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }
}
