using Hyperion.Host.Vms;

namespace Hyperion.Host.Ha;

/// <summary>
/// VM monitoring of the guest (vSphere resets a VM whose VMware Tools heartbeats stop): a protected VM whose guest has
/// shown a heartbeat since it started and then shows none for its failure interval is reset — at most
/// <see cref="MaxResetsPerHour"/> times an hour, as vSphere's default. The heartbeat is the QEMU guest agent answering
/// its host's pings for a VM with the guest agent channel (measured from the agent's last answer), else the tiny
/// guest's serial log growing (it ticks every 100 ms); other guests are not watched. A guest that never showed a
/// heartbeat since its QEMU started (no agent installed) is never reset.
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
            if (vm.Pid is null || (!vm.Spec.GuestAgent && vm.GuestHeartbeat is null))
            {
                continue;
            }

            seen.Add(vm.Id);
            var (mark, beatAt) = vm.Spec.GuestAgent
                ? (vm.GuestAgentSeenAt?.UtcTicks ?? -1, vm.GuestAgentSeenAt ?? now)
                : (Length(vm.GuestHeartbeat!), now);
            if (!_watches.TryGetValue(vm.Id, out var watch) || watch.Pid != vm.Pid)
            {
                _watches[vm.Id] = new Watch(vm.Pid.Value, mark, now, false, watch?.Resets ?? []);
                continue;
            }

            if (mark != watch.Mark)
            {
                // An agent's answer counts from when it was given (polls are seconds apart), not from when it was noticed.
                _watches[vm.Id] = watch with { Mark = mark, ChangedAt = beatAt, Beating = true };
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

    /// <param name="Mark">What changes while the guest beats: the serial log's length, or the agent's last answer (ticks; -1: never).</param>
    private sealed record Watch(int Pid, long Mark, DateTimeOffset ChangedAt, bool Beating, List<DateTimeOffset> Resets);
}
