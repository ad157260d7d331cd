using Hyperion.Host.Vms;

namespace Hyperion.Host.Ha;

/// <summary>
/// VM monitoring of the guest (vSphere resets a VM whose VMware Tools heartbeats stop): a protected VM whose guest has
/// shown a heartbeat since it started and then shows none for its failure interval is reset — at most
/// <see cref="MaxResetsPerHour"/> times an hour, as vSphere's default. The heartbeat read today is the tiny guest's
/// serial log growing (it ticks every 100 ms); guests without one (no QEMU guest agent channel yet) are not watched.
/// </summary>
internal sealed class GuestHeartbeatMonitor(TimeProvider time)
{
    public const int MaxResetsPerHour = 3;
    private readonly Dictionary<string, Watch> _watches = new(StringComparer.Ordinal);

    /// <summary>The VMs to reset now (their watch restarts from the reset).</summary>
    public IReadOnlyList<HaLocalVm> Due(IEnumerable<HaLocalVm> running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var now = time.GetUtcNow();
        var due = new List<HaLocalVm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in running)
        {
            if (vm.GuestHeartbeat is null || vm.Pid is null)
            {
                continue;
            }

            seen.Add(vm.Id);
            var length = Length(vm.GuestHeartbeat);
            if (!_watches.TryGetValue(vm.Id, out var watch) || watch.Pid != vm.Pid)
            {
                _watches[vm.Id] = new Watch(vm.Pid.Value, length, now, false, watch?.Resets ?? []);
                continue;
            }

            if (length != watch.Length)
            {
                _watches[vm.Id] = watch with { Length = length, ChangedAt = now, Beating = true };
                continue;
            }

            watch.Resets.RemoveAll(r => now - r >= TimeSpan.FromHours(1));
            if (watch.Beating && now - watch.ChangedAt >= TimeSpan.FromSeconds(vm.Spec.VmMonitoringTimeoutSeconds) && watch.Resets.Count < MaxResetsPerHour)
            {
                watch.Resets.Add(now);
                _watches[vm.Id] = watch with { ChangedAt = now, Beating = false };
                due.Add(vm);
            }
        }

        foreach (var gone in _watches.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _watches.Remove(gone);
        }

        return due;
    }

    /// <summary>Resets in the last hour for VM <paramref name="id"/>.</summary>
    public int ResetsInLastHour(string id) => _watches.TryGetValue(id, out var watch) ? watch.Resets.Count(r => time.GetUtcNow() - r < TimeSpan.FromHours(1)) : 0;

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private sealed record Watch(int Pid, long Length, DateTimeOffset ChangedAt, bool Beating, List<DateTimeOffset> Resets);
}
