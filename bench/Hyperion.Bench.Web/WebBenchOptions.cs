using System.Globalization;

namespace Hyperion.Bench.Web;

/// <summary>Command line of the web client benchmark.</summary>
internal sealed record WebBenchOptions
{
    public const string Usage =
        """
        Hyperion.Bench.Web — time to interactive of the web client's inventory pages with 10,000 VMs on SIMULATED hosts.

        usage: Hyperion.Bench.Web [--hosts N (100)] [--vms N (10000)] [--runs N (5)] [--monitor-interval SECONDS (30)]
                                  [--chromium PATH (/usr/bin/chromium)]

          dotnet run -c Release --project bench/Hyperion.Bench.Web                       # the full run (10,000 VMs)
          dotnet run -c Release --project bench/Hyperion.Bench.Web -- --hosts 5 --vms 500  # a smoke run

        Starts N SIMULATED host agents in this process (the agent's code with the in-memory driver) holding the VMs, a real
        Center (hyperion center serve, SQLite) out of process that imports them, then drives Chromium (Playwright) logged in
        as the administrator. Per page and run it measures navigation start → the page's list rendered AND the Blazor circuit
        interactive (window.__hyperionCircuitUp), then checks that a click on the first row's name navigates. Pages: the
        datacenter's and a cluster's VMs tab, the home page, the inventory tree expanded at a host. Baseline: the raw
        GET /api/vms?limit=100 in the same run. Prints a table (median, p90, max, rows in the DOM) and the 2 s goal; the last
        line is machine-readable: tti_ms_median=… tti_ms_max=… dom_rows=… goal_ms=2000.
        """;

    public int Hosts { get; init; } = 100;

    public int Vms { get; init; } = 10_000;

    /// <summary>Measured runs per page (after one warm-up load).</summary>
    public int Runs { get; init; } = 5;

    /// <summary>The Center's host heartbeat interval during the run (its default is 5 s).</summary>
    public int MonitorIntervalSeconds { get; init; } = 30;

    public string Chromium { get; init; } = "/usr/bin/chromium";

    public bool Help { get; init; }

    public static WebBenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new WebBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                return options with { Help = true };
            }

            var value = i + 1 < args.Count ? args[i + 1] : null;
            int Number() => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new FormatException(args[i]);
            try
            {
                options = args[i] switch
                {
                    "--hosts" => options with { Hosts = Number() },
                    "--vms" => options with { Vms = Number() },
                    "--runs" => options with { Runs = Number() },
                    "--monitor-interval" => options with { MonitorIntervalSeconds = Number() },
                    "--chromium" => options with { Chromium = value ?? throw new FormatException(args[i]) },
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
