using Hyperion.Bench.Web;

// The web client at scale on SIMULATED hosts: time to interactive of the inventory pages with 10,000 VMs, measured in
// Chromium through Playwright, against the raw API's first page as the baseline.
//
//   dotnet run -c Release --project bench/Hyperion.Bench.Web                        full run: 100 hosts, 10,000 VMs, 5 runs per page
//   dotnet run -c Release --project bench/Hyperion.Bench.Web -- --hosts 5 --vms 500   smoke run
//   dotnet run -c Release --project bench/Hyperion.Bench.Web -- --help               options
//
// Needs Chromium at /usr/bin/chromium (or --chromium PATH). Not part of the test suite.
var options = WebBenchOptions.Parse(args);
if (options is null || options.Help)
{
    await (options is null ? Console.Error : Console.Out).WriteLineAsync(WebBenchOptions.Usage);
    return options is null ? 2 : 0;
}

return await WebTtiBenchmark.RunAsync(options, Console.Out);
