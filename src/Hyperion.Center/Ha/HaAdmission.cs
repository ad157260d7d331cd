using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Ha;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Ha;

/// <summary>
/// HA admission control over the Center's records: the hosts that count are the cluster's connected hosts out of
/// maintenance (memory as they last reported it); the protected VMs are its powered-on VMs whose restart priority
/// is not <c>disabled</c>. Power-ons through the Center ask <see cref="RequirePowerOnAsync"/> first.
/// </summary>
public static class HaAdmission
{
    /// <param name="excludeVm">A VM not to count as running (the one about to be powered on).</param>
    public static async Task<HaAdmissionControl> ForClusterAsync(CenterDbContext db, ClusterRecord cluster, InventoryId? excludeVm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cluster);
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.ClusterId == cluster.Id)
            .Select(h => new { h.Id, h.ConnectionState, h.InMaintenanceMode, h.MemoryMiB })
            .ToListAsync(cancellationToken);
        var hostIds = hosts.Select(h => (InventoryId?)h.Id).ToList();
        var running = db.Vms.AsNoTracking()
            .Where(v => hostIds.Contains(v.HostId) && v.PowerState == VmPowerState.PoweredOn && !v.IsTemplate && v.RestartPriority != HaRestartPriorities.Disabled);
        if (excludeVm is { } excluded)
        {
            running = running.Where(v => v.Id != excluded);
        }

        var protectedMemory = await running.Select(v => v.MemoryMiB).ToListAsync(cancellationToken);
        var counted = hosts.Where(h => h.ConnectionState == HostConnectionState.Connected && !h.InMaintenanceMode).Select(h => h.MemoryMiB ?? 0);
        return new HaAdmissionControl(counted, Math.Max(0, cluster.HaHostFailuresTolerated), protectedMemory.Sum());
    }

    public static HaAdmissionDto ToDto(HaAdmissionControl admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        return new HaAdmissionDto(admission.HostFailuresTolerated, admission.TotalMemoryMiB, admission.ReservedMemoryMiB, admission.ProtectedMemoryMiB, admission.AvailableMemoryMiB);
    }

    /// <summary>
    /// Refuses (<see cref="ErrorCodes.HaAdmissionControl"/>) to power on a protected VM of <paramref name="memoryMiB"/>
    /// on <paramref name="hostId"/> when the host's cluster has HA on and the VM does not fit; anything else passes.
    /// </summary>
    public static async Task RequirePowerOnAsync(CenterDbContext db, InventoryId hostId, string vmName, long memoryMiB, string? restartPriority, InventoryId? vmId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (restartPriority == HaRestartPriorities.Disabled)
        {
            return;
        }

        var clusterId = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.ClusterId).SingleOrDefaultAsync(cancellationToken);
        var cluster = clusterId is { } id ? await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (cluster is not { HaEnabled: true })
        {
            return;
        }

        var admission = await ForClusterAsync(db, cluster, vmId, cancellationToken);
        if (admission.RefusalReason(memoryMiB) is { } reason)
        {
            throw new DomainException(ErrorCodes.HaAdmissionControl, $"HA admission control of cluster {cluster.Name} refuses to power on {vmName}: {reason}");
        }
    }
}
