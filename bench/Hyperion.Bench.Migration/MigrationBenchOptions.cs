using System.Globalization;

namespace Hyperion.Bench.Migration;

/// <summary>Command line of the migration benchmark.</summary>
internal sealed record MigrationBenchOptions
{
    public const string Usage =
        """
        Hyperion.Bench.Migration — live migration of the tiny guest (TCG): raw QEMU-to-QEMU over QMP versus Hyperion's
        vMotion through the Center (POST /api/vms/{id}/migrate), measured in the same run.

        usage: Hyperion.Bench.Migration [--sizes MiB,... (256,1024,4096)] [--dirty MiB/s,... (0,50,200)] [--runs N (3)]
                                        [--mode both|raw|ours (both)] [--working-set MiB (guest/4, at most 512)]
                                        [--time-limit SECONDS (600)]

          dotnet run -c Release --project bench/Hyperion.Bench.Migration                                 # the full run
          dotnet run -c Release --project bench/Hyperion.Bench.Migration -- --sizes 256 --dirty 0,200 --runs 1 --mode raw

        Per (size, dirty rate) row and run, raw and ours alternate (which goes first alternates too), one migration at a
        time, never more than two guests. Raw: two QEMUs (-accel tcg,thread=multi -cpu max -machine q35 -m SIZE+8k -rtc base=utc
        -device VGA -vnc unix:…, the virtual hardware Hyperion gives the guest), the
        destination with -incoming defer + migrate-incoming on tcp:127.0.0.1, the source with events and auto-converge on,
        downtime-limit 300 ms, bandwidth not capped; numbers from query-migrate. Ours: a Center and two host agents sharing
        a datastore, the VM created and powered on through the Center, then migrated; numbers from the task's result
        (downtimeMs, totalTimeMs, bytesTransferred, passes). Downtime is compared as the guest's whole pause on both sides:
        QEMU's STOP event stamp on the source → its RESUME stamp on the destination (raw: read from both QEMUs' QMP; ours:
        the task's downtime, measured that way by the agents); QEMU's own figure (source stop → end of stream, without the
        destination loading the last bytes and starting) is printed next to it. A dirtying guest (hyperion.dirty=WORKING-SET
        hyperion.dirty_rate=RATE) is migrated once it has verified two whole passes; afterwards the destination must verify two
        more passes: its mismatch counts are the stale pages. A destination guest that panics, reboots or stops ticking is
        a failed run. The last line is machine-readable:
        total_time_ratio=… downtime_ms=… raw_downtime_ms=…   (downtimes: medians of the rows' guest pauses)
        """;

    /// <summary>Guest memory sizes in MiB, one row group each, run in this order.</summary>
    public IReadOnlyList<int> Sizes { get; init; } = [256, 1024, 4096];

    /// <summary>Guest dirtying rates in MiB/s; 0 is an idle guest (no dirtying thread).</summary>
    public IReadOnlyList<int> DirtyRates { get; init; } = [0, 50, 200];

    public int Runs { get; init; } = 3;

    public bool Raw { get; init; } = true;

    public bool Ours { get; init; } = true;

    /// <summary>Memory the dirtying guest rewrites, in MiB; null: a quarter of the guest, at most 512 MiB.</summary>
    public int? WorkingSetMiB { get; init; }

    /// <summary>A migration not completed after this long is cancelled and counted as not converged.</summary>
    public int TimeLimitSeconds { get; init; } = 600;

    public bool Help { get; init; }

    public int WorkingSetFor(int sizeMiB) => WorkingSetMiB ?? Math.Min(sizeMiB / 4, 512);

    public static MigrationBenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new MigrationBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                return options with { Help = true };
            }

            var value = i + 1 < args.Count ? args[i + 1] : null;
            int Number(int min) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException(args[i]);
            IReadOnlyList<int> Numbers(int min)
            {
                var items = (value ?? throw new FormatException(args[i])).Split(',', StringSplitOptions.TrimEntries);
                return items.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException(args[i])).ToList();
            }

            try
            {
                options = args[i] switch
                {
                    "--sizes" => options with { Sizes = Numbers(64) },
                    "--dirty" => options with { DirtyRates = Numbers(0) },
                    "--runs" => options with { Runs = Number(1) },
                    "--working-set" => options with { WorkingSetMiB = Number(1) },
                    "--time-limit" => options with { TimeLimitSeconds = Number(1) },
                    "--mode" => value switch
                    {
                        "both" => options with { Raw = true, Ours = true },
                        "raw" => options with { Raw = true, Ours = false },
                        "ours" => options with { Raw = false, Ours = true },
                        _ => throw new FormatException(args[i]),
                    },
                    _ => throw new FormatException(args[i]),
                };
            }
            catch (FormatException)
            {
                return null;
            }

            i++;
        }

        // The working set must leave the guest's own kernel and initramfs room (about 100 MiB).
        return options.Sizes.All(s => options.WorkingSetFor(s) <= s - 128 || options.DirtyRates.All(r => r == 0)) ? options : null;
    }
}
