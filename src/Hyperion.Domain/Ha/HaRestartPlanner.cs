using System.Globalization;

namespace Hyperion.Domain.Ha;

/// <summary>
/// The master's decision, pure: which protected VMs need restarting and where. A VM is restarted only when nobody holds
/// its lease, its host's lease is gone, and its host's datastore heartbeat is either stale (host dead) or fresh without
/// the VM in it (the host fenced it). VMs are placed in priority order (high first, then by name), each on the live,
/// non-maintenance host with the most memory left this round that has not already failed to start it.
/// </summary>
public static class HaRestartPlanner
{
    public static HaRestartPlan Plan(
        IReadOnlyList<HaVmRecord> records,
        IReadOnlyDictionary<Guid, string> owners,
        IReadOnlyDictionary<string, HaHostView> hosts,
        IReadOnlyDictionary<Guid, string> assignments,
        IReadOnlyDictionary<Guid, IReadOnlySet<string>> failedTargets)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(owners);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(failedTargets);
        var free = hosts.Values.Where(h => h.LeaseHeld && !h.Maintenance).ToDictionary(h => h.HostId, h => h.FreeMemoryMiB, StringComparer.Ordinal);
        var verdicts = new List<HaVmVerdict>();
        var fresh = new List<HaVmVerdict>();
        var ordered = records.OrderByDescending(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Uuid).ToList();

        // Restarts already under way hold their memory before anything new is placed.
        foreach (var vm in ordered.Where(v => !owners.ContainsKey(v.Uuid) && assignments.TryGetValue(v.Uuid, out var t) && free.ContainsKey(t) && !Failed(failedTargets, v.Uuid, t)))
        {
            free[assignments[vm.Uuid]] -= vm.MemoryMiB;
        }

        foreach (var vm in ordered)
        {
            if (owners.TryGetValue(vm.Uuid, out var owner))
            {
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.Protected, null, $"runs on {owner}"));
                continue;
            }

            if (assignments.TryGetValue(vm.Uuid, out var assigned) && free.ContainsKey(assigned) && !Failed(failedTargets, vm.Uuid, assigned))
            {
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.Restarting, assigned, $"being restarted on {assigned}"));
                continue;
            }

            var host = hosts.TryGetValue(vm.HostId, out var h) ? h : new HaHostView(vm.HostId, false, 0, false, HaHeartbeatView.Unknown);
            if (host.LeaseHeld)
            {
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.Waiting, null, $"{vm.HostId} holds its lease and is responsible for the VM"));
                continue;
            }

            if (!host.Heartbeat.Known)
            {
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.Waiting, null, $"{vm.HostId} lost its lease; watching its datastore heartbeat to tell a dead host from a cut-off one"));
                continue;
            }

            if (host.Heartbeat.Fresh && host.Heartbeat.Running.Contains(vm.Uuid))
            {
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.RunningOnIsolatedHost, null, $"{vm.HostId} is {(host.Heartbeat.Isolated ? "isolated" : "partitioned")} but alive and its datastore heartbeat shows the VM running: not restarted"));
                continue;
            }

            var why = host.Heartbeat.Fresh ? $"{vm.HostId} is cut off and no longer runs it" : $"{vm.HostId} failed (lease expired, datastore heartbeat stale)";
            var target = free
                .Where(kv => kv.Value >= vm.MemoryMiB && !Failed(failedTargets, vm.Uuid, kv.Key))
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key).FirstOrDefault();
            if (target is null)
            {
                var best = free.Count == 0 ? "no live host" : string.Create(CultureInfo.InvariantCulture, $"the most any live host has is {free.Values.Max()} MiB");
                verdicts.Add(new HaVmVerdict(vm, HaVmProtection.Unplaced, null, string.Create(CultureInfo.InvariantCulture, $"{why}; needs {vm.MemoryMiB} MiB, {best}: retried when capacity appears")));
                continue;
            }

            free[target] -= vm.MemoryMiB;
            var verdict = new HaVmVerdict(vm, HaVmProtection.Restarting, target, $"{why}; restarting on {target}");
            verdicts.Add(verdict);
            fresh.Add(verdict);
        }

        return new HaRestartPlan(verdicts, fresh);
    }

    private static bool Failed(IReadOnlyDictionary<Guid, IReadOnlySet<string>> failedTargets, Guid vm, string host) =>
        failedTargets.TryGetValue(vm, out var hosts) && hosts.Contains(host);
}
