using Hyperion.Domain.Ha;

namespace Hyperion.Host.Ha;

/// <summary>
/// Watches the datastore heartbeats of a cluster's hosts: a heartbeat is fresh while its sequence was seen to change
/// within the staleness window, and known once it has been watched for a whole window (or seen to change).
/// </summary>
internal sealed class HeartbeatObserver(TimeProvider time, TimeSpan stale)
{
    private readonly Dictionary<string, Observation> _hosts = new(StringComparer.Ordinal);

    public HaHeartbeatView Observe(string hostId, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var now = time.GetUtcNow();
        var beat = files.Select(DatastoreHeartbeat.TryRead).Where(b => b is not null).MaxBy(b => b!.Sequence);
        if (!_hosts.TryGetValue(hostId, out var seen))
        {
            _hosts[hostId] = seen = new Observation(now, beat?.Sequence, DateTimeOffset.MinValue, beat);
            return new HaHeartbeatView(false, false, Running(beat), beat?.Isolated ?? false);
        }

        if (beat is not null && beat.Sequence != seen.Sequence)
        {
            seen = seen with { Sequence = beat.Sequence, ChangedAt = now, Last = beat };
            _hosts[hostId] = seen;
        }

        var fresh = now - seen.ChangedAt < stale;
        var known = fresh || now - seen.FirstSeen >= stale;
        return new HaHeartbeatView(known, fresh, Running(seen.Last), seen.Last?.Isolated ?? false);
    }

    /// <summary>Milliseconds since the heartbeat was seen to change, null when never.</summary>
    public long? AgeMs(string hostId) =>
        _hosts.TryGetValue(hostId, out var seen) && seen.ChangedAt != DateTimeOffset.MinValue ? (long)(time.GetUtcNow() - seen.ChangedAt).TotalMilliseconds : null;

    public void Reset() => _hosts.Clear();

    /// <summary>Every host whose heartbeat has been watched (a failed host stays listed).</summary>
    public IReadOnlyList<string> HostIds => _hosts.Keys.ToList();

    private static HashSet<Guid> Running(DatastoreHeartbeat? beat) => beat is null ? [] : [.. beat.Running];

    private sealed record Observation(DateTimeOffset FirstSeen, long? Sequence, DateTimeOffset ChangedAt, DatastoreHeartbeat? Last);
}
