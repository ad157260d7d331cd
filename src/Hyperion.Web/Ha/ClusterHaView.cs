using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;

namespace Hyperion.Web.Ha;

/// <summary>One host row of the cluster's vSphere HA view.</summary>
public sealed record HaHostRow(string HostId, string Name, string State, bool Master, bool LeaseHeld, string Heartbeat, long FreeMemoryMiB, int ProtectedVms)
{
    public string StateText => HaDisplay.HostStateText(State);
}

/// <summary>One VM row of the cluster's vSphere HA view; <see cref="VmId"/> is the Center's id when the user may open it.</summary>
public sealed record HaVmRow(string Uuid, string Name, string? VmId, string HostId, string HostName, string RestartPriority, string Protection, long MemoryMiB, string? Message)
{
    public string ProtectionText => HaDisplay.ProtectionText(Protection);

    public string PriorityText => HaDisplay.PriorityText(RestartPriority);
}

/// <summary>Admission control as the view shows it: N failover hosts' worth of memory reserved, the rest free for protected VMs.</summary>
public sealed record HaAdmissionView(int FailoverHosts, long TotalMemoryMiB, long ReservedMemoryMiB, long ProtectedMemoryMiB, long AvailableMemoryMiB)
{
    /// <summary>The share of the cluster's memory kept for failover (0–100).</summary>
    public double ReservedPercent => TotalMemoryMiB <= 0 ? 0 : Math.Min(100, 100.0 * ReservedMemoryMiB / TotalMemoryMiB);

    /// <summary>The share used by protected VMs and the reservation together (0–100).</summary>
    public double CommittedPercent => TotalMemoryMiB <= 0 ? 100 : Math.Min(100, 100.0 * (ReservedMemoryMiB + ProtectedMemoryMiB) / TotalMemoryMiB);
}

/// <summary>
/// The cluster's "vSphere HA" monitor view, built from the Center's <see cref="ClusterHaStatusDto"/> (the master's view
/// of the cluster): the master, every host's HA state, every protected VM in restart order, admission control, the VMs
/// the master could not place and what needs attention.
/// </summary>
public sealed record ClusterHaView(
    string ClusterId,
    string ClusterName,
    ClusterHaDto Settings,
    HaHostRow? Master,
    IReadOnlyList<HaHostRow> Hosts,
    IReadOnlyList<HaVmRow> Vms,
    HaAdmissionView? Admission,
    IReadOnlyList<string> Problems)
{
    public bool Enabled => Settings.Enabled;

    /// <summary>Protected VMs the master found no host for (retried every round).</summary>
    public IReadOnlyList<HaVmRow> Unplaced => Vms.Where(v => v.Protection == HaVmProtectionStates.Unplaced).ToList();

    /// <param name="status">The Center's HA status of the cluster.</param>
    /// <param name="vmIds">The Center's VM ids by UUID, for the VMs the user may open.</param>
    public static ClusterHaView From(ClusterHaStatusDto status, IReadOnlyDictionary<string, string> vmIds)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(vmIds);
        var hosts = status.Hosts
            .Select(h => new HaHostRow(h.HostId, h.HostName, h.State, h.Master || h.HostId == status.MasterHostId, h.LeaseHeld, HaDisplay.HeartbeatAge(h.HeartbeatAgeMs), h.FreeMemoryMiB, h.ProtectedVms))
            .OrderByDescending(h => h.Master).ThenBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.HostId, StringComparer.Ordinal)
            .ToList();
        var names = hosts.GroupBy(h => h.HostId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var vms = status.Vms
            .Select(v => new HaVmRow(v.Uuid, v.Name, vmIds.GetValueOrDefault(v.Uuid), v.HostId, names.GetValueOrDefault(v.HostId, v.HostId), v.RestartPriority, v.Protection, v.MemoryMiB, v.Message))
            .OrderBy(v => HaDisplay.PriorityRank(v.RestartPriority)).ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var master = hosts.FirstOrDefault(h => h.Master);
        var admission = status.Admission is { } a
            ? new HaAdmissionView(a.HostFailuresTolerated, a.TotalMemoryMiB, a.ReservedMemoryMiB, a.ProtectedMemoryMiB, a.AvailableMemoryMiB)
            : null;
        return new ClusterHaView(status.ClusterId, status.ClusterName, status.Settings, master, hosts, vms, admission, ProblemsOf(status.Settings, master, hosts, vms, admission));
    }

    private static List<string> ProblemsOf(ClusterHaDto settings, HaHostRow? master, List<HaHostRow> hosts, List<HaVmRow> vms, HaAdmissionView? admission)
    {
        var problems = new List<string>();
        if (!settings.Enabled)
        {
            return problems;
        }

        if (master is null)
        {
            problems.Add("No master host is elected: no host holds the election (etcd unreachable, or the hosts are still initializing).");
        }

        problems.AddRange(hosts.Where(h => HaDisplay.HostStateIsProblem(h.State)).Select(h => $"Host {h.Name} is {h.StateText.ToLowerInvariant()}."));
        var unplaced = vms.Count(v => v.Protection == HaVmProtectionStates.Unplaced);
        if (unplaced > 0)
        {
            problems.Add($"{unplaced} VM(s) could not be placed on a surviving host: the master retries as capacity appears.");
        }

        if (admission is { AvailableMemoryMiB: <= 0 })
        {
            problems.Add($"Admission control leaves no memory for more protected VMs ({admission.FailoverHosts} host failure(s) tolerated): powering one on is refused.");
        }

        return problems;
    }
}
