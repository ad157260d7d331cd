using System.Globalization;

namespace Hyperion.Bench.Clone;

/// <summary>Command line of the clone benchmark.</summary>
internal sealed record CloneBenchOptions
{
    public const string Usage =
        """
        Hyperion.Bench.Clone — clones and templates on a real host agent (hyperion host serve --accel tcg, tiny guest),
        each measured against a baseline taken in the same run.

        usage: Hyperion.Bench.Clone [--sizes GiB,... (1,16,256)] [--runs N (6)] [--template-data MiB (64)]
                                    [--full-size GiB (2)] [--full-data MiB (1024)]
                                    [--clones N (100)] [--concurrency N (4; 1 = sequential only)]
                                    [--parts instant,full,fleet (all)] [--quick]

          dotnet run -c Release --project bench/Hyperion.Bench.Clone                  # the full run
          dotnet run -c Release --project bench/Hyperion.Bench.Clone -- --quick       # smoke run

        1. instant: per template disk size (sparse qcow2, TEMPLATE-DATA MiB of 0x5a written at its start and end with
           qemu-io before it is marked as a template), RUNS times, alternating which goes first: the baseline — power-on
           of an existing VM with a disk of the same size and data → its first "tick" line on the serial console —; a
           linked clone alone (POST /clone, linked, powered off → 201); a linked clone with powerOn → 201 → first tick.
           The clone's own cost is (clone + power-on → 201) − (baseline power-on → 200), judged against the goal; the
           same difference at the first tick is printed too (it carries the TCG boot's noise).
        2. full: a powered-off VM with a FULL-SIZE GiB disk holding FULL-DATA MiB of non-zero data: our full clone
           (POST /clone → 201, qemu-img convert inside) against `qemu-img convert -O qcow2` of the same file into a
           scratch file, alternating; then the same VM running (our clone = delta disks, qemu-img convert of the frozen image, merge back) against
           `qemu-img convert -U` of its disk under the same load. Each copy is followed by a timed fsync of its file
           (ours fsyncs before it answers; convert does not): MiB/s = data MiB / durable time; the goal is judged on
           the fastest durable run of each side (the ratio of medians and the page-cache figures are printed too).
        3. fleet: CLONES linked clones of one template made one after the other, then CLONES more with CONCURRENCY
           requests in flight; per-clone latency (p50/p95/max), total, allocated space of the clones' folders (du) vs
           CLONES × the template's, then every clone deleted (timed).

        Which side goes first alternates from run to run: give an even RUNS so that each goes first equally often (on this
        machine the second copy of a pair was often the slower one).
        --quick: --sizes 1,16 --runs 2 --template-data 16 --full-size 1 --full-data 256 --clones 10.
        The last line is machine-readable:
        clone_call_ms=… clone_overhead_ms=… clone_overhead_at_tick_ms=… full_clone_ratio=… full_clone_ratio_medians=…
        running_clone_ratio=… fleet_clone_p50_ms=… fleet_space_ratio=…
        """;

    /// <summary>Template disk sizes in GiB for the instant-clone part.</summary>
    public IReadOnlyList<int> SizesGiB { get; init; } = [1, 16, 256];

    public int Runs { get; init; } = 6;

    /// <summary>MiB written into each template disk (half at the start, half at the end), so that it is not empty.</summary>
    public int TemplateDataMiB { get; init; } = 64;

    public int FullSizeGiB { get; init; } = 2;

    public int FullDataMiB { get; init; } = 1024;

    public int Clones { get; init; } = 100;

    public int Concurrency { get; init; } = 4;

    public bool Instant { get; init; } = true;

    public bool Full { get; init; } = true;

    public bool Fleet { get; init; } = true;

    public bool Quick { get; init; }

    public bool Help { get; init; }

    public static CloneBenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new CloneBenchOptions();
        if (args.Contains("--quick"))
        {
            // First, so that explicit options given with it still win.
            options = options with { Quick = true, SizesGiB = [1, 16], Runs = 2, TemplateDataMiB = 16, FullSizeGiB = 1, FullDataMiB = 256, Clones = 10 };
        }

        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                return options with { Help = true };
            }

            if (args[i] == "--quick")
            {
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : null;
            int Number(int min) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException(args[i]);
            IReadOnlyList<int> Numbers(int min) =>
                (value ?? throw new FormatException(args[i])).Split(',', StringSplitOptions.TrimEntries)
                    .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new FormatException(args[i]))
                    .ToList();

            try
            {
                options = args[i] switch
                {
                    "--sizes" => options with { SizesGiB = Numbers(1) },
                    "--runs" => options with { Runs = Number(1) },
                    "--template-data" => options with { TemplateDataMiB = Number(2) },
                    "--full-size" => options with { FullSizeGiB = Number(1) },
                    "--full-data" => options with { FullDataMiB = Number(1) },
                    "--clones" => options with { Clones = Number(1) },
                    "--concurrency" => options with { Concurrency = Number(1) },
                    "--parts" => Parts(options, value ?? throw new FormatException(args[i])),
                    _ => throw new FormatException(args[i]),
                };
            }
            catch (FormatException)
            {
                return null;
            }

            i++;
        }

        // The data must fit the disks: half of the template data at each end of the smallest template disk.
        var fits = options.TemplateDataMiB <= options.SizesGiB.Min() * 1024 && options.FullDataMiB <= options.FullSizeGiB * 1024;
        return fits ? options : null;
    }

    private static CloneBenchOptions Parts(CloneBenchOptions options, string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p is not ("instant" or "full" or "fleet")))
        {
            throw new FormatException("--parts");
        }

        return options with { Instant = parts.Contains("instant"), Full = parts.Contains("full"), Fleet = parts.Contains("fleet") };
    }
}
