namespace Hyperion.Host.Ha;

/// <summary>
/// Whether a host that lost its lease is isolated (vSphere pings its isolation addresses) or merely cut off from etcd's
/// majority / slow: only an isolated host applies the isolation response.
/// </summary>
internal interface IIsolationProbe
{
    /// <summary>True when the network still reaches the cluster (so the host is not isolated).</summary>
    Task<bool> PeersReachableAsync(CancellationToken cancellationToken);
}
