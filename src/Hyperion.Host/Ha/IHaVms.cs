using Hyperion.Host.Vms;

namespace Hyperion.Host.Ha;

/// <summary>The VM operations the HA agent uses (the VM service; a fake in the agent's unit tests).</summary>
internal interface IHaVms
{
    IReadOnlyList<HaLocalVm> HaSnapshot();

    Task FenceAsync(string id, string isolationResponse, CancellationToken cancellationToken);

    Task PowerOnAsync(string id, CancellationToken cancellationToken);

    /// <summary>Hard reset of a running VM (VM monitoring of a hung guest).</summary>
    Task ResetAsync(string id, CancellationToken cancellationToken);

    Task<string> RegisterForHaAsync(string datastore, string folder, Guid uuid, CancellationToken cancellationToken);

    Task UnregisterAsync(string id, CancellationToken cancellationToken);

    long AvailableMemoryMiB();

    long TotalMemoryMiB();

    /// <summary>The heartbeat files of this host on the named datastores (every non-local datastore when none are named).</summary>
    IReadOnlyList<string> HeartbeatFiles(string clusterId, string hostId, IReadOnlyList<string> datastores);
}
