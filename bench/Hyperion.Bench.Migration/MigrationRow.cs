namespace Hyperion.Bench.Migration;

/// <summary>One (size, dirty rate) row: every run's raw and ours measurements, and their medians over completed runs.</summary>
internal sealed class MigrationRow(GuestWorkload workload)
{
    public GuestWorkload Workload { get; } = workload;

    public List<MigrationMeasurement> Raw { get; } = [];

    public List<MigrationMeasurement> Ours { get; } = [];

    public double? RawTotalMs => Median(Raw, m => m.TotalTimeMs);

    public double? OursTotalMs => Median(Ours, m => m.TotalTimeMs);

    /// <summary>Raw from starting the destination QEMU to the end of the stream.</summary>
    public double? RawEndToEndMs => Median(Raw.Where(m => m.EndToEndMs is not null), m => m.EndToEndMs!.Value);

    /// <summary>Ours (the task: destination prepared, stream, switch-over) against raw doing the same (destination started, stream).</summary>
    public double? Ratio => OursTotalMs / RawEndToEndMs;

    /// <summary>Ours against QEMU's stream time alone (what the orchestration adds on top of the stream).</summary>
    public double? StreamRatio => OursTotalMs / RawTotalMs;

    public double? RawDowntimeMs => Median(Raw, m => m.DowntimeMs);

    public double? OursDowntimeMs => Median(Ours, m => m.DowntimeMs);

    /// <summary>The guest's whole pause (QEMU's vCPU stop → run stamps), raw: the yardstick both sides share.</summary>
    public double? RawPauseMs => Median(Raw.Where(m => m.GuestPauseMs is not null), m => m.GuestPauseMs!.Value);

    public double? OursPauseMs => Median(Ours.Where(m => m.GuestPauseMs is not null), m => m.GuestPauseMs!.Value);

    public double? OursQemuDowntimeMs => Median(Ours.Where(m => m.QemuDowntimeMs is not null), m => m.QemuDowntimeMs!.Value);

    /// <summary>The guest's measured dirtying rate before the migrations (all runs, both sides).</summary>
    public double? AchievedDirtyMiBps => Median(Raw.Concat(Ours).Where(m => m.GuestDirtyMiBps is not null), m => m.GuestDirtyMiBps!.Value, completedOnly: false);

    public static double? Median(IEnumerable<MigrationMeasurement> runs, Func<MigrationMeasurement, double> value, bool completedOnly = true) =>
        Median(runs.Where(m => !completedOnly || m.Completed).Select(value));

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Stale pages summed over the runs (a median would hide the one run that lost pages).</summary>
    public static long StalePages(IEnumerable<MigrationMeasurement> runs) => runs.Sum(m => m.Guest?.StalePages ?? 0);

    /// <summary>Runs that did not complete, or whose destination guest lost pages or died.</summary>
    public static int FailedRuns(IEnumerable<MigrationMeasurement> runs) => runs.Count(m => !m.Succeeded);
}
