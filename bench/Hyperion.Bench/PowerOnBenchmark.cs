using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hyperion.Contracts.Vms;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Testing;

namespace Hyperion.Bench;

/// <summary>
/// Measures, in one run and alternating so machine noise hits both alike:
/// (a) agent: time from the power-on HTTP call to the first <c>tick</c> line in the VM's serial log;
/// (b) raw: time from spawning QEMU with the identical argv (same flags, own paths) to its first <c>tick</c> line.
/// Both are read by polling the serial log file every 2 ms, so the measurement adds the same to both.
/// </summary>
internal static class PowerOnBenchmark
{
    public static async Task<int> RunAsync(int runs, TextWriter output)
    {
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TinyGuest.Directory, "manifest.json")));
        var cmdline = manifest.RootElement.GetProperty("cmdline").GetString()!;
        await using var agent = await HostAgentProcess.StartAsync("tcg");
        var api = agent.Api;
        using var raw = new TestDirectory("hyb");

        var ours = new List<double>();
        var baseline = new List<double>();
        var toMarker = new List<double>();
        var rawStarted = new List<double>();
        var callReturned = new List<double>();
        long qemuRssKiB = 0;
        await api.CreateTinyAsync("bench");
        var vm = await api.GetVmAsync("bench");
        var serial = Path.Combine(vm.Folder, "serial.log");

        var agentCpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 1)
            {
                await RunAgentAsync(i);
            }

            // Raw QEMU, same argv as the agent builds.
            var rawDir = Path.Combine(raw.Path, i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(rawDir);
            var config = new QemuLaunchConfig
            {
                Name = "bench-raw",
                Uuid = Guid.NewGuid(),
                Accelerator = "tcg",
                CpuModel = "max",
                Cpus = 1,
                MemoryMiB = 128,
                Boot = BootKind.Kernel,
                Kernel = TinyGuest.Kernel,
                Initrd = TinyGuest.Initrd,
                KernelArgs = cmdline,
                Paths = new QemuRuntimePaths(
                    Path.Combine(rawDir, "qmp.sock"), Path.Combine(rawDir, "serial.sock"), Path.Combine(rawDir, "serial.log"), Path.Combine(rawDir, "vnc.sock"), Path.Combine(rawDir, "qemu.pid")),
            };
            var argv = QemuArgvBuilder.Build(config);
            var sw = Stopwatch.StartNew();
            var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in argv)
            {
                psi.ArgumentList.Add(a);
            }

            using (var p = Process.Start(psi)!)
            {
                await p.WaitForExitAsync();
            }

            rawStarted.Add(sw.Elapsed.TotalMilliseconds);

            var rawFirst = await WaitForFirstTickAsync(config.Paths.SerialLog, 0, sw, null);
            baseline.Add(rawFirst.Tick);
            KillPidFile(config.Paths.PidFile);

            if (i % 2 == 0)
            {
                await RunAgentAsync(i);
            }
        }

        async Task RunAgentAsync(int i)
        {
            var offset = File.Exists(serial) ? new FileInfo(serial).Length : 0;
            var cpuBefore = CpuMs(agent.Pid);
            var sw = Stopwatch.StartNew();
            var on = await api.PowerOkAsync("bench", "power-on");
            callReturned.Add(sw.Elapsed.TotalMilliseconds);
            var first = await WaitForFirstTickAsync(serial, offset, sw, TinyGuestLog.BootMarker);
            ours.Add(first.Tick);
            toMarker.Add(first.Marker);
            agentCpu.Add(CpuMs(agent.Pid) - cpuBefore);
            if (i == 0)
            {
                await api.WaitForTickAsync("bench", 5);
                qemuRssKiB = RssKiB(on.Pid!.Value);
            }

            await api.PowerOkAsync("bench", "power-off");
        }

        var agentRss = RssKiB(agent.Pid);
        var ratio = Median(ours) / Median(baseline);
        await output.WriteLineAsync($"power-on → first tick, tiny guest, TCG, q35, 1 vCPU, 128 MiB, {runs} runs each ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)");
        await output.WriteLineAsync("| measure | median ms | min ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        await output.WriteLineAsync(Row("raw QEMU (same argv): spawn → tick 1", baseline));
        await output.WriteLineAsync(Row("hyperion agent: power-on call → tick 1", ours));
        await output.WriteLineAsync(Row("hyperion agent: power-on call → boot marker", toMarker));
        await output.WriteLineAsync(Row("raw QEMU: spawn → daemonized parent exits", rawStarted));
        await output.WriteLineAsync(Row("agent CPU time used from power-on call to tick 1", agentCpu));
        await output.WriteLineAsync(Row("hyperion agent: power-on call → response (QEMU started, QMP connected)", callReturned));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| ratio agent / raw (goal ≤ 1.05) | {ratio:F3} | | |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| agent RSS (MiB) | {agentRss / 1024.0:F1} | | |"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| QEMU RSS, 128 MiB tiny guest running (MiB) | {qemuRssKiB / 1024.0:F1} | | |"));
        return 0;
    }

    private static async Task<(double Tick, double Marker)> WaitForFirstTickAsync(string path, long offset, Stopwatch sw, string? marker)
    {
        double markerAt = 0;
        var deadline = TimeSpan.FromSeconds(120);
        while (sw.Elapsed < deadline)
        {
            if (File.Exists(path))
            {
                var text = ReadFrom(path, offset);
                if (marker is not null && markerAt == 0 && text.Contains(marker, StringComparison.Ordinal))
                {
                    markerAt = sw.Elapsed.TotalMilliseconds;
                }

                if (text.Contains("tick 1\n", StringComparison.Ordinal) || text.Contains("tick 1\r", StringComparison.Ordinal))
                {
                    return (sw.Elapsed.TotalMilliseconds, markerAt);
                }
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"no tick in {path}");
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = Math.Min(offset, stream.Length);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void KillPidFile(string pidFile)
    {
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        using var p = Process.GetProcessById(pid);
        p.Kill();
        p.WaitForExit();
    }

    /// <summary>utime + stime of a process in milliseconds (clock ticks of 10 ms).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Row(string label, List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"| {label} | {Median(values):F0} | {values.Min():F0} | {values.Max():F0} |");
}
