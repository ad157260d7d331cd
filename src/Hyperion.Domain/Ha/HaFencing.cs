namespace Hyperion.Domain.Ha;

/// <summary>
/// Self-fencing: etcd expires a lease no sooner than its TTL after the last keepalive the host sent that succeeded, so
/// a host that has had no success for <c>fenceAfter</c> (TTL less a margin) must apply its isolation response now — it
/// is then done before anyone else may restart its VMs.
/// </summary>
public static class HaFencing
{
    /// <param name="lastSuccessSentAt">When the last successful keepalive (or the grant) was sent.</param>
    public static bool MustFence(DateTimeOffset lastSuccessSentAt, DateTimeOffset now, TimeSpan fenceAfter) => now - lastSuccessSentAt >= fenceAfter;
}
