namespace Hyperion.Hypervisor.Drivers;

/// <summary>
/// An outgoing migration as the hypervisor reports it. <see cref="Status"/> is QEMU's: <c>none</c>, <c>setup</c>,
/// <c>active</c>, <c>postcopy-active</c>, <c>device</c>, <c>completed</c>, <c>failed</c>, <c>cancelling</c>,
/// <c>cancelled</c> (and a few rarer ones: <c>pre-switchover</c>, <c>wait-unplug</c>…).
/// </summary>
public sealed record VmMigrationProgress(string Status)
{
    public long TotalBytes { get; init; }
    public long TransferredBytes { get; init; }
    public long RemainingBytes { get; init; }

    /// <summary>Guest pages dirtied per second, as bytes.</summary>
    public long DirtyRateBytesPerSecond { get; init; }

    /// <summary>Dirty-bitmap syncs so far: the pre-copy passes.</summary>
    public long Passes { get; init; }

    public long? ExpectedDowntimeMs { get; init; }
    public long? DowntimeMs { get; init; }
    public long? TotalTimeMs { get; init; }
    public long? SetupTimeMs { get; init; }

    /// <summary>Auto-converge's current vCPU throttle, 0–99.</summary>
    public int ThrottlePercent { get; init; }

    public string? Error { get; init; }

    /// <summary>Whether the migration has ended, one way or the other.</summary>
    public bool IsFinished => Status is "completed" or "failed" or "cancelled";

    /// <summary>Whether the guest may be running on the destination already (switch-over has happened or post-copy runs it there).</summary>
    public bool IsPastSwitchover => Status is "completed" or "postcopy-active" or "postcopy-paused" or "postcopy-recover";
}
