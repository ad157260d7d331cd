using Hyperion.Host.Ha.Etcd;

namespace Hyperion.Host.Tests.Ha;

/// <summary>
/// An in-memory etcd for the HA protocol tests: leases expire on the fake clock exactly TTL after the last keepalive
/// (as the real one never does sooner), keys bound to a lease vanish with it. One store, many clients; a client can be
/// cut off (<see cref="FakeEtcdClient.Reachable"/>) to model isolation.
/// </summary>
internal sealed class FakeEtcd(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, DateTimeOffset> _leases = [];
    private readonly SortedDictionary<string, (string Value, long Lease, long Create, long Mod)> _keys = new(StringComparer.Ordinal);
    private long _nextLease = 100;
    private long _revision = 1;

    public FakeEtcdClient Client() => new(this);

    public bool LeaseAlive(long lease)
    {
        lock (_gate)
        {
            Expire();
            return _leases.ContainsKey(lease);
        }
    }

    public string? Value(string key)
    {
        lock (_gate)
        {
            Expire();
            return _keys.TryGetValue(key, out var v) ? v.Value : null;
        }
    }

    internal long Grant(int ttl)
    {
        lock (_gate)
        {
            var id = _nextLease++;
            _leases[id] = time.GetUtcNow() + TimeSpan.FromSeconds(ttl);
            return id;
        }
    }

    internal long KeepAlive(long lease, int ttl)
    {
        lock (_gate)
        {
            Expire();
            if (!_leases.ContainsKey(lease))
            {
                return 0;
            }

            _leases[lease] = time.GetUtcNow() + TimeSpan.FromSeconds(ttl);
            return ttl;
        }
    }

    internal void Revoke(long lease)
    {
        lock (_gate)
        {
            _leases.Remove(lease);
            Expire();
        }
    }

    internal List<EtcdKeyValue> Range(string prefix, bool isPrefix)
    {
        lock (_gate)
        {
            Expire();
            return _keys.Where(k => isPrefix ? k.Key.StartsWith(prefix, StringComparison.Ordinal) : k.Key == prefix)
                .Select(k => new EtcdKeyValue(k.Key, k.Value.Value, k.Value.Lease, k.Value.Create, k.Value.Mod)).ToList();
        }
    }

    internal bool Put(string key, string value, long lease, Func<EtcdKeyValue?, bool>? condition = null)
    {
        lock (_gate)
        {
            Expire();
            var current = _keys.TryGetValue(key, out var v) ? new EtcdKeyValue(key, v.Value, v.Lease, v.Create, v.Mod) : null;
            if (condition is not null && !condition(current))
            {
                return false;
            }

            if (lease != 0 && !_leases.ContainsKey(lease))
            {
                throw new EtcdUnavailableException("etcdserver: requested lease not found");
            }

            _revision++;
            _keys[key] = (value, lease, current?.CreateRevision ?? _revision, _revision);
            return true;
        }
    }

    internal bool Delete(string key, Func<EtcdKeyValue?, bool>? condition = null)
    {
        lock (_gate)
        {
            Expire();
            var current = _keys.TryGetValue(key, out var v) ? new EtcdKeyValue(key, v.Value, v.Lease, v.Create, v.Mod) : null;
            if (condition is not null && !condition(current))
            {
                return false;
            }

            return _keys.Remove(key);
        }
    }

    private void Expire()
    {
        var now = time.GetUtcNow();
        foreach (var lease in _leases.Where(l => l.Value <= now).Select(l => l.Key).ToList())
        {
            _leases.Remove(lease);
        }

        foreach (var key in _keys.Where(k => k.Value.Lease != 0 && !_leases.ContainsKey(k.Value.Lease)).Select(k => k.Key).ToList())
        {
            _keys.Remove(key);
        }
    }
}

/// <summary>One host's connection to <see cref="FakeEtcd"/>.</summary>
internal sealed class FakeEtcdClient(FakeEtcd store) : IEtcdClient
{
    private readonly Dictionary<long, int> _ttls = [];

    public bool Reachable { get; set; } = true;

    public Task<long> GrantAsync(int ttlSeconds, CancellationToken cancellationToken)
    {
        Check();
        var id = store.Grant(ttlSeconds);
        _ttls[id] = ttlSeconds;
        return Task.FromResult(id);
    }

    public Task<long> KeepAliveAsync(long lease, CancellationToken cancellationToken)
    {
        Check();
        return Task.FromResult(store.KeepAlive(lease, _ttls.GetValueOrDefault(lease, 5)));
    }

    public Task RevokeAsync(long lease, CancellationToken cancellationToken)
    {
        Check();
        store.Revoke(lease);
        return Task.CompletedTask;
    }

    public Task<EtcdKeyValue?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Check();
        return Task.FromResult(store.Range(key, false).FirstOrDefault());
    }

    public Task<IReadOnlyList<EtcdKeyValue>> GetPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        Check();
        return Task.FromResult<IReadOnlyList<EtcdKeyValue>>(store.Range(prefix, true));
    }

    public Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken)
    {
        Check();
        store.Put(key, value, lease);
        return Task.CompletedTask;
    }

    public Task<(bool Created, EtcdKeyValue? Existing)> CreateAsync(string key, string value, long lease, CancellationToken cancellationToken)
    {
        Check();
        var created = store.Put(key, value, lease, current => current is null);
        return Task.FromResult((created, created ? null : store.Range(key, false).FirstOrDefault()));
    }

    public Task<bool> CompareAndPutAsync(string key, string expected, string value, long lease, CancellationToken cancellationToken)
    {
        Check();
        return Task.FromResult(store.Put(key, value, lease, current => current?.Value == expected));
    }

    public Task<bool> CompareAndDeleteAsync(string key, string expected, CancellationToken cancellationToken)
    {
        Check();
        return Task.FromResult(store.Delete(key, current => current?.Value == expected));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Check();
        store.Delete(key);
        return Task.CompletedTask;
    }

    private void Check()
    {
        if (!Reachable)
        {
            throw new EtcdUnavailableException("fake etcd: this host is cut off");
        }
    }
}
