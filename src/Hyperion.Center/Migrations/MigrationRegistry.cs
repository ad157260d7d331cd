using System.Collections.Concurrent;

namespace Hyperion.Center.Migrations;

/// <summary>
/// The VMs (by UUID) a migration task of this Center process is moving right now. What hosts report as under way for
/// any other VM has no task driving it (its Center died, or the task gave up while a host was unreachable): the
/// <see cref="MigrationReconciler"/> settles those.
/// </summary>
public sealed class MigrationRegistry
{
    private readonly ConcurrentDictionary<string, int> _active = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Marks the VM as driven by a task until the returned handle is disposed.</summary>
    public IDisposable Hold(string uuid)
    {
        _active.AddOrUpdate(uuid, 1, (_, n) => n + 1);
        return new Handle(this, uuid);
    }

    public bool IsActive(string uuid) => _active.ContainsKey(uuid);

    private void Release(string uuid)
    {
        while (_active.TryGetValue(uuid, out var n))
        {
            if (n <= 1 ? _active.TryRemove(new KeyValuePair<string, int>(uuid, n)) : _active.TryUpdate(uuid, n - 1, n))
            {
                return;
            }
        }
    }

    private sealed class Handle(MigrationRegistry registry, string uuid) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry.Release(uuid);
            }
        }
    }
}
