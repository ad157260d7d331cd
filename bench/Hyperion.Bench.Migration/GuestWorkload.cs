using System.Globalization;

namespace Hyperion.Bench.Migration;

/// <summary>What one row migrates: the tiny guest with <see cref="SizeMiB"/> of memory, idle or rewriting <see cref="WorkingSetMiB"/> at <see cref="DirtyMiBps"/>.</summary>
internal sealed record GuestWorkload(int SizeMiB, int DirtyMiBps, int WorkingSetMiB)
{
    /// <summary>Verified passes before the migration starts (pass 1 only writes): the guest dirties at its steady rate by then.</summary>
    public const int PassesBeforeMigration = 3;

    /// <summary>Passes the destination must complete after the switch-over: the one the switch-over interrupted and a whole one after it.</summary>
    public const int PassesAfterMigration = 2;

    /// <summary>Ticks (100 ms each) an idle destination must print after the switch-over.</summary>
    public const int TicksAfterMigration = 10;

    public bool Dirtying => DirtyMiBps > 0;

    /// <summary>Appended to the tiny guest's base command line (its manifest's <c>cmdline</c>).</summary>
    public string? KernelArgs => Dirtying
        ? string.Create(CultureInfo.InvariantCulture, $"hyperion.dirty={WorkingSetMiB} hyperion.dirty_rate={DirtyMiBps}")
        : null;

    /// <summary>Seconds one dirtying pass takes at the nominal rate.</summary>
    public double PassSeconds => Dirtying ? (double)WorkingSetMiB / DirtyMiBps : 0;

    /// <summary>Boot (about 2 s under TCG, more on a loaded machine) plus the passes before the migration, generously.</summary>
    public TimeSpan ReadyTimeout => TimeSpan.FromSeconds(120 + (3 * PassesBeforeMigration * PassSeconds));

    /// <summary>The passes after the switch-over, generously (auto-converge may have left the guest throttled).</summary>
    public TimeSpan VerifyTimeout => TimeSpan.FromSeconds(30 + (4 * PassesAfterMigration * PassSeconds));

    public string Label => string.Create(CultureInfo.InvariantCulture, $"{SizeMiB} MiB, {(Dirtying ? $"dirty {DirtyMiBps} MiB/s over {WorkingSetMiB} MiB" : "idle")}");
}
