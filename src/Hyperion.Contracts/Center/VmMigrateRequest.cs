namespace Hyperion.Contracts.Center;

/// <summary>
/// <c>POST /api/vms/{id}/migrate</c>: move the VM to <see cref="Host"/> (vMotion when it runs, a cold migration when
/// it is powered off). <see cref="Datastore"/> is where its files go; omitted, they stay where they are (which the
/// destination must then reach). <see cref="Priority"/> is <c>high</c> (default) or <c>normal</c>, as in vSphere:
/// high-priority migrations take their slots first.
/// </summary>
public sealed record VmMigrateRequest(string? Host, string? Datastore = null, string? Priority = null)
{
    /// <summary>The longest pause the guest may see at switch-over, in ms (default 300, QEMU's).</summary>
    public int? DowntimeLimitMs { get; init; }

    /// <summary>Bandwidth cap in MiB/s; 0 or omitted: not throttled.</summary>
    public int? BandwidthMiBps { get; init; }

    /// <summary>Allow switching to post-copy when pre-copy with auto-converge does not converge (opt-in: a post-copy VM dies if either host dies before it ends).</summary>
    public bool? Postcopy { get; init; }

    /// <summary>Give up (cancel cleanly, the VM stays on its source) when not switched over within this many seconds (default 600).</summary>
    public int? TimeLimitSeconds { get; init; }

    /// <summary>Give up (cancel cleanly, the VM stays on its source) when the stream moves no data for this many seconds: a cut network or a destination that stopped reading (default 15).</summary>
    public int? StallSeconds { get; init; }

    /// <summary>Encrypt the memory stream with TLS (certificates for both hosts issued by the Center's CA, each side verifying the other).</summary>
    public bool? Tls { get; init; }

    /// <summary>With <see cref="Postcopy"/>: seconds of pre-copy (with auto-converge) before switching to post-copy (default 20).</summary>
    public int? PostcopyAfterSeconds { get; init; }
}
