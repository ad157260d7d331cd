namespace Hyperion.Domain.Ha;

/// <summary>
/// vSphere's verdict on a host, from two independent signals: its etcd lease (network liveness) and its datastore
/// heartbeat (alive, whatever the network). Lease held: connected (or master). Lease gone: heartbeat fresh — alive but
/// cut off (isolated when it says it lost its lease, else partitioned); heartbeat stale — failed.
/// </summary>
public static class HaHostClassifier
{
    public static HaHostState Classify(HaHostView host, string? masterHostId)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.LeaseHeld)
        {
            return host.HostId == masterHostId ? HaHostState.Master : host.Maintenance ? HaHostState.Maintenance : HaHostState.Connected;
        }

        if (!host.Heartbeat.Known)
        {
            return HaHostState.Unknown;
        }

        if (host.Heartbeat.Fresh)
        {
            return host.Heartbeat.Isolated ? HaHostState.Isolated : HaHostState.Partitioned;
        }

        return HaHostState.Failed;
    }
}
