using System.Runtime.InteropServices;
using Hyperion.Bench.Clone;

// Clones and templates on a real host agent (TCG, tiny guest): linked clone + power-on to the first tick for several
// template disk sizes, full clone throughput against qemu-img convert, and 100 linked clones from one template.
//
//   dotnet run -c Release --project bench/Hyperion.Bench.Clone                 full run (~3–5 minutes)
//   dotnet run -c Release --project bench/Hyperion.Bench.Clone -- --quick      smoke run (under a minute)
//   dotnet run -c Release --project bench/Hyperion.Bench.Clone -- --help
//
// Not part of the test suite. The agent, every QEMU it started and every qemu-img/qemu-io the benchmark started are
// killed by PID on the way out (Ctrl-C too), and the temporary directories are removed.
var options = CloneBenchOptions.Parse(args);
if (options is null || options.Help)
{
    await (options is null ? Console.Error : Console.Out).WriteLineAsync(CloneBenchOptions.Usage);
    return options is null ? 2 : 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Unwind through the finally blocks (which kill the agent and its guests) instead of dying with them running.
    e.Cancel = true;
    stop.Cancel();
};

// The same for SIGTERM (kill, timeout, a CI runner stopping the job).
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    return await CloneBenchmark.RunAsync(options, Console.Out, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("interrupted: every process started was killed, temporary directories removed");
    return 130;
}
