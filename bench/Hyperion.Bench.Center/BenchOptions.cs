using System.Globalization;

namespace Hyperion.Bench.Center;

/// <summary>Command line of the Center scale benchmark.</summary>
internal sealed record BenchOptions
{
    public const string Usage =
        "usage: Hyperion.Bench.Center [--hosts N (100)] [--vms N (10000)] [--database sqlite|postgres|both (both)] "
        + "[--samples N (50)] [--creates N (200)] [--monitor-interval SECONDS (30)]";

    /// <summary>Simulated host agents, each on its own loopback port, all in this process.</summary>
    public int Hosts { get; init; } = 100;

    /// <summary>VMs seeded on the agents (spread evenly) before the Center imports them.</summary>
    public int Vms { get; init; } = 10_000;

    public IReadOnlyList<string> Databases { get; init; } = ["sqlite", "postgres"];

    /// <summary>Requests per latency measure.</summary>
    public int Samples { get; init; } = 50;

    /// <summary>VMs created through the Center's <c>POST /api/vms</c> (tasks) for the throughput measure.</summary>
    public int Creates { get; init; } = 200;

    /// <summary>The Center's host heartbeat interval during the run (its default is 5 s).</summary>
    public int MonitorIntervalSeconds { get; init; } = 30;

    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            int Number() => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException(args[i]);
            try
            {
                options = args[i] switch
                {
                    "--hosts" => options with { Hosts = Number() },
                    "--vms" => options with { Vms = Number() },
                    "--samples" => options with { Samples = Number() },
                    "--creates" => options with { Creates = Number() },
                    "--monitor-interval" => options with { MonitorIntervalSeconds = Number() },
                    "--database" => options with
                    {
                        Databases = value switch
                        {
                            "sqlite" => ["sqlite"],
                            "postgres" => ["postgres"],
                            "both" => ["sqlite", "postgres"],
                            _ => throw new FormatException(args[i]),
                        },
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

        return options;
    }
}
