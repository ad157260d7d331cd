namespace Hyperion.Host.Ha;

/// <summary>
/// HA timing of a host agent. The safety argument (no VM ever runs twice): the host keeps its etcd lease alive every
/// <see cref="KeepaliveInterval"/>; etcd expires it no sooner than <see cref="LeaseTtl"/> after the last keepalive the
/// host <em>sent</em> that succeeded; the host applies its isolation response once <see cref="FenceAfter"/> has passed
/// since that moment without another success — <see cref="FenceMargin"/> before etcd can expire the lease — and the
/// master restarts a VM elsewhere only after the lease is gone. So the margin must exceed the time a power-off takes
/// (SIGKILL of a QEMU: milliseconds; the agent's loop period adds at most one <see cref="KeepaliveInterval"/>).
/// </summary>
public sealed record HaOptions
{
    /// <summary>TTL of the host's etcd lease. Default 5 s (vSphere declares a host dead after ~15 s).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the lease is kept alive and the agent reconciles HA state. Default 500 ms.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long before the lease can expire the host fences itself. Default 2 s.</summary>
    public TimeSpan FenceMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one etcd request. Default 1 s (less than the fence margin, so a hung request cannot delay fencing past expiry).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the heartbeat process rewrites this host's datastore heartbeat. Default 500 ms.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A datastore heartbeat not seen to change for this long means its host is dead (not just partitioned). Default
    /// 4 s: generous for a starved heartbeat process, and still shorter than the lease TTL, so it adds nothing to failover.
    /// </summary>
    public TimeSpan HeartbeatStale { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How many HA restarts this host carries out at once (take ownership, register the VM folder, power on), highest
    /// restart priority first. Default 4 (vSphere limits concurrent power-ons per host likewise): a burst of restarts
    /// after a host failure no longer queues one behind the other, and a 2-core host is not swamped by 20 QEMU starts.
    /// </summary>
    public int MaxConcurrentRestarts { get; init; } = 4;

    /// <summary>Lease TTL less fence margin: when a host without a successful keepalive applies its isolation response.</summary>
    public TimeSpan FenceAfter => LeaseTtl - FenceMargin;

    /// <summary>Throws unless the timings keep the safety argument.</summary>
    public void Validate()
    {
        if (LeaseTtl < TimeSpan.FromSeconds(2) || LeaseTtl.TotalSeconds != Math.Floor(LeaseTtl.TotalSeconds))
        {
            throw new ArgumentException("HA lease TTL must be a whole number of seconds, at least 2 (etcd grants whole seconds)");
        }

        if (KeepaliveInterval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || FenceMargin <= KeepaliveInterval + TimeSpan.FromMilliseconds(100) || FenceMargin <= RequestTimeout || FenceAfter <= KeepaliveInterval * 2)
        {
            throw new ArgumentException("HA timings must satisfy: keepalive interval < fence margin, request timeout < fence margin, two keepalives fit before fencing");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatStale <= HeartbeatInterval * 3)
        {
            throw new ArgumentException("HA heartbeat staleness must exceed three heartbeat intervals");
        }

        if (MaxConcurrentRestarts < 1)
        {
            throw new ArgumentException("HA concurrent restarts must be at least 1");
        }
    }
}
