using Hyperion.Bench;

// Power-on → first tick through the agent versus a raw QEMU with the same argv, plus memory footprints.
var runs = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 10;
return await PowerOnBenchmark.RunAsync(runs, Console.Out);
