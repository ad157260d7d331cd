using Hyperion.Bench.Migration;

// Live migration: raw QEMU-to-QEMU over QMP (the baseline, same run) versus Hyperion's vMotion through the Center.
//
//   dotnet run -c Release --project bench/Hyperion.Bench.Migration                                   full run
//   dotnet run -c Release --project bench/Hyperion.Bench.Migration -- --sizes 256 --dirty 0,200 --runs 1 --mode raw
//   dotnet run -c Release --project bench/Hyperion.Bench.Migration -- --help
//
// Not part of the test suite. Every QEMU and hyperion process it starts is killed by PID on the way out (Ctrl-C too).
var options = MigrationBenchOptions.Parse(args);
if (options is null || options.Help)
{
    await (options is null ? Console.Error : Console.Out).WriteLineAsync(MigrationBenchOptions.Usage);
    return options is null ? 2 : 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Unwind through the finally blocks (which kill the guests) instead of dying with them still running.
    e.Cancel = true;
    stop.Cancel();
};

try
{
    return await MigrationBenchmark.RunAsync(options, Console.Out, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("interrupted: every process started was killed");
    return 130;
}
