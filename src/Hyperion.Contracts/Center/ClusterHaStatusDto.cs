using Hyperion.Contracts.Ha;

namespace Hyperion.Contracts.Center;

/// <summary><c>GET /api/clusters/{id}/ha</c>: settings, the master, each host's HA state, each protected VM, admission control.</summary>
public sealed record ClusterHaStatusDto
{
    public required string ClusterId { get; init; }
    public required string ClusterName { get; init; }
    public required ClusterHaDto Settings { get; init; }

    /// <summary>The Center id of the master host; null when none is known (no host reachable, or HA off).</summary>
    public string? MasterHostId { get; init; }

    /// <summary>Per host; <c>HostId</c> is the Center's id. Hosts the Center cannot reach appear as the master reports them.</summary>
    public IReadOnlyList<HaHostDto> Hosts { get; init; } = [];
    public IReadOnlyList<HaVmDto> Vms { get; init; } = [];
    public HaAdmissionDto? Admission { get; init; }
}
