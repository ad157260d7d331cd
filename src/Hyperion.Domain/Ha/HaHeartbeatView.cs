namespace Hyperion.Domain.Ha;

/// <summary>What the master has observed of one host's datastore heartbeat.</summary>
/// <param name="Known">Whether it has watched the heartbeat long enough to judge it (a new master waits one staleness window).</param>
/// <param name="Fresh">Seen to change within the staleness window: the host is alive, whatever its lease says.</param>
/// <param name="Running">The protected VMs the heartbeat says run there (their QEMU processes are alive).</param>
/// <param name="Isolated">The host says it lost its lease (and applied its isolation response).</param>
public sealed record HaHeartbeatView(bool Known, bool Fresh, IReadOnlySet<Guid> Running, bool Isolated)
{
    public static HaHeartbeatView Unknown { get; } = new(false, false, new HashSet<Guid>(), false);
}
