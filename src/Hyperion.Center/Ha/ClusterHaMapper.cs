using Hyperion.Center.Persistence.Entities;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;

namespace Hyperion.Center.Ha;

/// <summary>A cluster record's HA settings as the API shows them, and as a host is given them.</summary>
public static class ClusterHaMapper
{
    /// <summary>Defaults when HA is first enabled (<see cref="ClusterHaRequest"/>'s).</summary>
    public const int DefaultHostFailuresTolerated = 1;

    /// <summary>Null while HA was never configured on the cluster.</summary>
    public static ClusterHaDto? ToDto(ClusterRecord cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.HaIsolationResponse is null
            ? null
            : new ClusterHaDto(cluster.HaEnabled, cluster.HaHostFailuresTolerated, cluster.HaIsolationResponse, cluster.HaVmMonitoring, cluster.HaHeartbeatDatastores ?? []);
    }

    /// <summary>The settings shown for a cluster that never had HA: off, with the defaults it would get.</summary>
    public static ClusterHaDto Off { get; } = new(false, DefaultHostFailuresTolerated, HaIsolationResponses.PowerOff, true, []);

    /// <summary>What <c>PUT /api/host/ha</c> gives <paramref name="host"/> as a member of <paramref name="cluster"/>.</summary>
    public static HostHaConfigRequest ConfigFor(ClusterRecord cluster, HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(host);
        return new HostHaConfigRequest(
            cluster.Id.Value,
            host.Id.Value,
            host.Address,
            cluster.HaIsolationResponse ?? HaIsolationResponses.PowerOff,
            cluster.HaVmMonitoring,
            cluster.HaHeartbeatDatastores ?? [],
            cluster.HaHostFailuresTolerated,
            host.InMaintenanceMode);
    }

    /// <summary>A comparable key of a host's configuration, so a host is reconfigured only when it changed.</summary>
    public static string Key(HostHaConfigRequest config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.Join('|', config.ClusterId, config.HostId, config.HostName, config.IsolationResponse, config.VmMonitoring, config.HostFailuresTolerated, string.Join(',', config.HeartbeatDatastores), config.Maintenance);
    }
}
