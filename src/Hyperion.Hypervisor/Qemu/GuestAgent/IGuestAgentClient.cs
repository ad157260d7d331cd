namespace Hyperion.Hypervisor.Qemu.GuestAgent;

/// <summary>
/// Talks to a QEMU guest agent (qemu-ga, or anything speaking its protocol) through the host side of its virtio-serial
/// channel: one short connection per call, so a guest reset or a restarted agent never leaves a half-read stream behind.
/// </summary>
public interface IGuestAgentClient
{
    /// <summary>Synchronises the channel (<c>guest-sync-delimited</c>) and sends <c>guest-ping</c>: the heartbeat.</summary>
    /// <exception cref="GuestAgentException">No agent answered (not installed, hung, timed out) or it answered with an error.</exception>
    Task PingAsync(string socketPath, CancellationToken cancellationToken);

    /// <summary>As <see cref="PingAsync"/>, then <c>guest-info</c> and <c>guest-get-host-name</c> for display.</summary>
    /// <exception cref="GuestAgentException">No agent answered the sync or ping, or <c>guest-info</c> failed.</exception>
    Task<GuestAgentInfo> ProbeAsync(string socketPath, CancellationToken cancellationToken);
}
