namespace Hyperion.Bench.Migration;

/// <summary>
/// One migration of one guest. <see cref="TotalTimeMs"/>, <see cref="DowntimeMs"/>, <see cref="BytesTransferred"/> and
/// <see cref="Passes"/> are the migrator's own numbers (QEMU's query-migrate for raw, the task's result for ours);
/// <see cref="ClientMs"/> is what the bench saw from its migrate call to the end. <see cref="Error"/>: the migration did
/// not complete (failed, cancelled at the time limit, or the numbers were missing).
/// </summary>
internal sealed record MigrationMeasurement
{
    public double TotalTimeMs { get; init; }
    public double DowntimeMs { get; init; }
    public long BytesTransferred { get; init; }
    public long Passes { get; init; }
    public double ClientMs { get; init; }

    /// <summary>Ours only: the downtime's two parts — QEMU's (source stop → stream complete) and the switch-over (→ destination cont).</summary>
    public double? QemuDowntimeMs { get; init; }

    public double? SwitchOverMs { get; init; }

    /// <summary>
    /// The guest's whole pause, from QEMU's own event stamps: the source's vCPUs stopped for the final pass → the
    /// destination's running. Raw: read from both QEMUs' QMP events; ours: the task's downtime when it says it was
    /// measured that way (<c>downtimeFromVcpuEvents</c>). The same yardstick for both; QEMU's <see cref="DowntimeMs"/>
    /// stops at the source's end of stream and leaves out the destination loading the last bytes and starting.
    /// </summary>
    public double? GuestPauseMs { get; init; }

    /// <summary>Ours only: the destination was armed as the stream started (it ran the guest on its own end of stream).</summary>
    public bool? SwitchoverArmed { get; init; }

    /// <summary>Raw only: destination QEMU started → stream completed (the operation a migrate task performs).</summary>
    public double? EndToEndMs { get; init; }

    /// <summary>The guest's dirtying rate measured before the migration (MiB/s); null for an idle guest.</summary>
    public double? GuestDirtyMiBps { get; init; }

    public GuestVerdict? Guest { get; init; }

    public string? Error { get; init; }

    public bool Completed => Error is null;

    /// <summary>Completed, and the destination guest survived with all its pages.</summary>
    public bool Succeeded => Completed && Guest is { Healthy: true };

    public static MigrationMeasurement Failed(string error, double clientMs = 0) => new() { Error = error, ClientMs = clientMs };
}
