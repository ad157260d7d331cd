namespace Hyperion.Host.Ha.Etcd;

/// <summary>
/// The few etcd v3 operations HA needs. Every call either succeeds or throws <see cref="EtcdUnavailableException"/>
/// within the client's request timeout; none is retried behind the caller's back (the HA loop retries on its period).
/// </summary>
internal interface IEtcdClient
{
    /// <summary>Grants a lease of <paramref name="ttlSeconds"/>; returns its id.</summary>
    Task<long> GrantAsync(int ttlSeconds, CancellationToken cancellationToken);

    /// <summary>Keeps the lease alive once; returns its TTL in seconds afterwards, 0 when it has expired (or never existed).</summary>
    Task<long> KeepAliveAsync(long lease, CancellationToken cancellationToken);

    Task RevokeAsync(long lease, CancellationToken cancellationToken);

    Task<EtcdKeyValue?> GetAsync(string key, CancellationToken cancellationToken);

    Task<IReadOnlyList<EtcdKeyValue>> GetPrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Puts the key (bound to <paramref name="lease"/> unless 0).</summary>
    Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken);

    /// <summary>Creates the key only if absent (one transaction); returns false and the existing key otherwise.</summary>
    Task<(bool Created, EtcdKeyValue? Existing)> CreateAsync(string key, string value, long lease, CancellationToken cancellationToken);

    /// <summary>Replaces the key only if its value is <paramref name="expected"/> (one transaction).</summary>
    Task<bool> CompareAndPutAsync(string key, string expected, string value, long lease, CancellationToken cancellationToken);

    /// <summary>Deletes the key only if its value is <paramref name="expected"/> (one transaction).</summary>
    Task<bool> CompareAndDeleteAsync(string key, string expected, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
