namespace Hyperion.Contracts.Migrations;

/// <summary>Host-internal, from the Center to the source host: send the running VM to <see cref="Uri"/>.</summary>
public sealed record MigrationStartRequest(string Uri)
{
    /// <summary>Longest acceptable switch-over pause in ms (QEMU's downtime-limit; default 300).</summary>
    public int DowntimeLimitMs { get; init; } = 300;

    /// <summary>MiB/s; 0 = not throttled.</summary>
    public int BandwidthMiBps { get; init; }

    /// <summary>Switch to post-copy when pre-copy with auto-converge has not converged after <see cref="PostcopyAfterSeconds"/>.</summary>
    public bool Postcopy { get; init; }

    public int PostcopyAfterSeconds { get; init; } = 20;

    /// <summary>Cancel (the VM keeps running here) when not switched over within this many seconds.</summary>
    public int TimeLimitSeconds { get; init; } = 600;

    /// <summary>
    /// Cancel (the VM keeps running here) when the stream moves no byte for this many seconds before switch-over: the
    /// network to the destination is cut or the destination stopped reading. Never in post-copy (the destination holds
    /// the guest then).
    /// </summary>
    public int StallSeconds { get; init; } = 15;

    /// <summary>
    /// Shared-nothing: one NBD URI per disk (from the destination's prepare). The source first mirrors every disk
    /// there (status <c>mirroring</c>), then sends the memory while the mirrors keep up, and ends the mirrors with the
    /// guest paused just before switch-over; its own folder is deleted at switch-over.
    /// </summary>
    public IReadOnlyList<string>? DiskTargets { get; init; }

    /// <summary>Send the stream over TLS with this client certificate (null: plain TCP).</summary>
    public MigrationTlsDto? Tls { get; init; }

    /// <summary>
    /// Start the guest on the destination directly when the stream completes (pre-copy, not shared-nothing); null: the
    /// Center does it. Either way the source keeps its paused copy until the Center's switch-over.
    /// </summary>
    public MigrationSwitchoverDto? Switchover { get; init; }
}
