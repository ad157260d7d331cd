using Hyperion.Bench.Center;

// The Center at scale on SIMULATED hosts: VM list latency (full and paged), create-VM task throughput, memory and
// database size, on SQLite and PostgreSQL. Smoke run: --hosts 5 --vms 200.
var options = BenchOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

return await CenterScaleBenchmark.RunAsync(options, Console.Out);
