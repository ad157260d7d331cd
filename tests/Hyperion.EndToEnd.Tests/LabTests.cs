using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Lab.State;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// <c>hyperion lab up|status|down</c> as a user runs them: the real executable builds a two-host lab (namespaces,
/// bridge, detached Center and agents, TCG), the test checks it through the Center with the credentials of lab.env,
/// then <c>lab down</c> must leave no process, namespace, link or directory. The lab gets a unique name and subnet so
/// it can run beside the demo lab and other tests; whatever the outcome, the test removes what the lab made.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LabTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task UpStatusDown_TwoHosts_DemoVmRunsAndDownLeavesNothing()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..6];
        var subnetByte = await HaLab.FreeSubnetByteAsync();
        var subnet = $"10.214.{subnetByte}.0/24";
        var centerUrl = $"https://10.214.{subnetByte}.1:9443";
        var dir = Path.Combine(Path.GetTempPath(), $"hylab-{name}");
        var labNames = new[] { $"hyp{name}-br", $"hyp{name}-v1", $"hyp{name}-v2" };
        var namespaces = new[] { $"hyp{name}-1", $"hyp{name}-2" };
        try
        {
            var up = await RunAsync(UpTimeout, null, "lab", "up", "--hosts", "2", "--dir", dir, "--accel", "tcg", "--subnet", subnet, "--name", name, "--tiny-guest", TinyGuest.Directory);

            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains($"Center:       {centerUrl}", up.Out, StringComparison.Ordinal);
            Assert.Contains("[6/6]", up.Out, StringComparison.Ordinal);

            // lab.env: the CLI's variables, owner-only, and they work against the Center.
            var envFile = Path.Combine(dir, "lab.env");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(envFile));
            var env = LabEnvFile.Parse(File.ReadAllText(envFile));
            Assert.Equal(centerUrl, env["HYPERION_SERVER"]);
            Assert.Equal("administrator", env["HYPERION_USER"]);
            using var center = new HostApi(HostAgentProcess.CreateHttpClient(new Uri(env["HYPERION_SERVER"]), env["HYPERION_FINGERPRINT"], env["HYPERION_USER"], env["HYPERION_PASSWORD"]));
            var hosts = await HaLab.ItemsAsync<HostDto>(center, "/api/hosts");
            Assert.Equal([$"https://10.214.{subnetByte}.11:8443", $"https://10.214.{subnetByte}.12:8443"], hosts.Select(h => h.Address).Order(StringComparer.Ordinal));
            Assert.All(hosts, h => Assert.Equal("connected", h.ConnectionState));
            Assert.All(hosts, h => Assert.Equal("Cluster", h.Cluster));
            var demo = Assert.Single(await HaLab.ItemsAsync<CenterVmDto>(center, "/api/vms"));
            Assert.Equal("demo", demo.Name);
            Assert.Equal("poweredOn", demo.PowerState);
            Assert.Contains(demo.HostId, hosts.Select(h => h.Id));
            var cli = await RunAsync(TimeSpan.FromSeconds(60), env, "host", "list");
            Assert.True(cli.ExitCode == 0, cli.ToString());
            Assert.Contains($"10.214.{subnetByte}.12", cli.Out, StringComparison.Ordinal);

            // The guest really runs, on the shared datastore (one folder, registered by one host only).
            var serial = Path.Combine(dir, "shared", "demo", "serial.log");
            await Eventually.GetAsync(() => Task.FromResult(File.Exists(serial) ? File.ReadAllText(serial) : string.Empty), log => TinyGuestLog.LastTick(log) >= 1, TimeSpan.FromSeconds(60), "a tick on the demo VM's serial console");
            Assert.Single(Directory.GetFiles(dir, "qemu.pid", SearchOption.AllDirectories));

            var status = await RunAsync(TimeSpan.FromSeconds(60), null, "lab", "status", "--dir", dir);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Matches(@"host-1 .* running +connected", status.Out);
            Assert.Matches(@"host-2 .* running +connected", status.Out);
            Assert.Matches(@"demo +vm-\d+ +host-\d +poweredOn", status.Out);

            var again = await RunAsync(TimeSpan.FromSeconds(60), null, "lab", "up", "--hosts", "1", "--dir", dir, "--accel", "tcg", "--subnet", subnet, "--name", name);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already running", again.Error, StringComparison.Ordinal);

            await CheckEtcdAndFaultsAsync(dir, name, subnetByte, center);

            var pids = LabProcesses(dir);
            Assert.True(pids.Count >= 7, $"expected the Center, two agents, three etcd members and a QEMU, found pids {string.Join(", ", pids)}");

            var down = await RunAsync(TimeSpan.FromSeconds(90), null, "lab", "down", "--dir", dir);

            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.Contains("nothing of the lab remains", down.Out, StringComparison.Ordinal);
            Assert.All(pids, pid => Assert.False(ProcessProbe.IsAlive(pid), $"pid {pid} is still alive after lab down"));
            Assert.Empty(LabProcesses(dir));
            Assert.False(Directory.Exists(dir));
            Assert.All(labNames, link => Assert.False(Directory.Exists($"/sys/class/net/{link}"), $"{link} remains"));
            Assert.Empty(Namespaces().Intersect(namespaces));
            Assert.DoesNotContain($"10.214.{subnetByte}.0/24", Ip("-4", "route", "show"), StringComparison.Ordinal);

            var downAgain = await RunAsync(TimeSpan.FromSeconds(30), null, "lab", "down", "--dir", dir);
            Assert.True(downAgain.ExitCode == 0, downAgain.ToString());
            var statusAfter = await RunAsync(TimeSpan.FromSeconds(30), null, "lab", "status", "--dir", dir);
            Assert.Equal(1, statusAfter.ExitCode);
        }
        finally
        {
            await CleanUpAsync(dir, namespaces, labNames);
        }
    }

    /// <summary>
    /// The lab's etcd cluster (two hosts: a member each plus the witness on the bridge) and the fault verbs: isolate and
    /// partition cut exactly what they should and heal restores it; agent-crash kills the agent only, and power-on
    /// brings the host back to connected.
    /// </summary>
    private static async Task CheckEtcdAndFaultsAsync(string dir, string name, int subnetByte, HostApi center)
    {
        var net = $"10.214.{subnetByte}";
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var address in new[] { $"{net}.11", $"{net}.12", $"{net}.1" })
        {
            Assert.Contains("\"health\":\"true\"", await http.GetStringAsync(new Uri($"http://{address}:2379/health")), StringComparison.Ordinal);
        }

        using var list = await http.PostAsync(new Uri($"http://{net}.11:2379/v3/cluster/member/list"), new StringContent("{}"));
        using (var members = JsonDocument.Parse(await list.Content.ReadAsStringAsync()))
        {
            Assert.Equal(["host-1", "host-2", "witness"], members.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        }

        var state = LabStateStore.Load(dir)!;
        foreach (var host in state.Hosts)
        {
            var argv = File.ReadAllText($"/proc/{state.FindProcess(host.Name)!.Pid}/cmdline").Split('\0');
            var etcd = argv[Array.IndexOf(argv, "--etcd") + 1].Split(',');
            Assert.Equal($"http://{net}.{10 + host.Index}:2379", etcd[0]);
            Assert.Equal(3, etcd.Length);
        }

        var dirArgs = new[] { "--dir", dir };
        var isolate = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "host-2", "--kind", "isolate", .. dirArgs]);
        Assert.True(isolate.ExitCode == 0, isolate.ToString());
        Assert.False(Ping(null, $"{net}.12"), "host-2 still answers from the root namespace while isolated");
        Assert.True(Ping(null, $"{net}.11"), "host-1 became unreachable when host-2 was isolated");
        var statusIsolated = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "status", .. dirArgs]);
        Assert.Matches(@"host-2 .* isolate", statusIsolated.Out);
        var heal = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "host-2", "--kind", "heal", .. dirArgs]);
        Assert.True(heal.ExitCode == 0, heal.ToString());
        await Eventually.GetAsync(() => Task.FromResult(Ping(null, $"{net}.12")), ok => ok, TimeSpan.FromSeconds(10), "host-2 reachable again after heal");

        var partition = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "2", "--kind", "partition", .. dirArgs]);
        Assert.True(partition.ExitCode == 0, partition.ToString());
        Assert.False(Ping($"hyp{name}-1", $"{net}.12"), "host-1 still reaches host-2 across the partition");
        Assert.True(Ping($"hyp{name}-2", $"{net}.1"), "a partitioned host-2 lost the bridge address (Center, witness)");
        Assert.True(Ping(null, $"{net}.12"), "a partitioned host-2 became unreachable from the root namespace");
        heal = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "host-2", "--kind", "heal", .. dirArgs]);
        Assert.True(heal.ExitCode == 0, heal.ToString());
        Assert.True(Ping($"hyp{name}-1", $"{net}.12"), "host-1 does not reach host-2 after heal");

        var agent = state.FindProcess("host-2")!.Pid;
        var member = state.FindProcess("etcd-host-2")!.Pid;
        var crash = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "host-2", "--kind", "agent-crash", .. dirArgs]);
        Assert.True(crash.ExitCode == 0, crash.ToString());
        Assert.False(ProcessProbe.IsAlive(agent), "the agent survived agent-crash");
        Assert.True(ProcessProbe.IsAlive(member), "agent-crash killed host-2's etcd member too");
        var again = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "fault", "host-2", "--kind", "agent-crash", .. dirArgs]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("error: the agent of host-2 is not running", again.Error, StringComparison.Ordinal);

        var powerOn = await RunAsync(TimeSpan.FromSeconds(90), null, ["lab", "power-on", "host-2", .. dirArgs]);
        Assert.True(powerOn.ExitCode == 0, powerOn.ToString());
        Assert.Contains("host-2 is connected in the Center", powerOn.Out, StringComparison.Ordinal);
        var hosts = await HaLab.ItemsAsync<HostDto>(center, "/api/hosts");
        Assert.All(hosts, h => Assert.Equal("connected", h.ConnectionState));
        var healthy = await RunAsync(TimeSpan.FromSeconds(30), null, ["lab", "status", .. dirArgs]);
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.DoesNotContain("FAULTS", healthy.Out, StringComparison.Ordinal);
    }

    /// <summary>One ping with a 1 s wait, from the root namespace or from <paramref name="ns"/>.</summary>
    private static bool Ping(string? ns, string address)
    {
        string[] argv = ns is null ? ["ping", "-c", "1", "-W", "1", address] : ["ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", address];
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    [Fact]
    public async Task Up_DemoVmCannotBeCreated_RemovesEverythingAndExitsOne()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..6];
        var subnetByte = await HaLab.FreeSubnetByteAsync();
        var dir = Path.Combine(Path.GetTempPath(), $"hylab-{name}");
        var links = new[] { $"hyp{name}-br", $"hyp{name}-v1" };
        try
        {
            // Every step up to the demo VM succeeds; the agent then finds no tiny guest where it was told to look.
            var up = await RunAsync(UpTimeout, null, "lab", "up", "--hosts", "1", "--dir", dir, "--accel", "tcg", "--subnet", $"10.214.{subnetByte}.0/24", "--name", name, "--tiny-guest", "/nonexistent-tiny-guest");

            Assert.True(up.ExitCode == 1, up.ToString());
            Assert.Contains("[4/6]", up.Out, StringComparison.Ordinal);
            Assert.Contains("image.not-found", up.Error, StringComparison.Ordinal);
            Assert.Contains("nothing of the lab remains", up.Out, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir));
            Assert.Empty(LabProcesses(dir));
            Assert.All(links, link => Assert.False(Directory.Exists($"/sys/class/net/{link}"), $"{link} remains"));
            Assert.DoesNotContain($"hyp{name}-1", Namespaces());
        }
        finally
        {
            await CleanUpAsync(dir, [$"hyp{name}-1"], links);
        }
    }

    [Fact]
    public async Task Up_BadOptionsOrTakenSubnet_RefusedAndNothingMade()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"hylab-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            var badName = await RunAsync(TimeSpan.FromSeconds(30), null, "lab", "up", "--dir", dir, "--name", "Not_Valid");
            var badSubnet = await RunAsync(TimeSpan.FromSeconds(30), null, "lab", "up", "--dir", dir, "--name", "tbad", "--subnet", "10.214.0.7/24");
            var loopback = await RunAsync(TimeSpan.FromSeconds(30), null, "lab", "up", "--dir", dir, "--name", "tbad", "--subnet", "127.0.0.0/24");

            Assert.Equal(2, badName.ExitCode);
            Assert.Contains("--name", badName.Error, StringComparison.Ordinal);
            Assert.Equal(2, badSubnet.ExitCode);
            Assert.Contains("did you mean 10.214.0.0/24", badSubnet.Error, StringComparison.Ordinal);
            Assert.Equal(1, loopback.ExitCode);
            Assert.Contains("overlaps 127.0.0.0/8 of lo", loopback.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir));
            Assert.False(Directory.Exists("/sys/class/net/hyptbad-br"));
        }
        finally
        {
            await CleanUpAsync(dir, ["hyptbad-1", "hyptbad-2"], ["hyptbad-br", "hyptbad-v1", "hyptbad-v2"]);
        }
    }

    /// <summary>PIDs of processes whose command line names the lab directory (Center, agents, QEMUs).</summary>
    private static List<int> LabProcesses(string dir)
    {
        var pids = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(entry, "cmdline"));
                if (cmdline.Contains(dir + "/", StringComparison.Ordinal) && !cmdline.Contains("\0lab\0", StringComparison.Ordinal) && ProcessProbe.IsAlive(pid))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return pids;
    }

    private static IEnumerable<string> Namespaces() =>
        Ip("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]);

    /// <summary>
    /// Runs <c>lab down</c>, then removes by hand whatever is still there, so a failing lab never leaks processes,
    /// namespaces, links or files into the machine.
    /// </summary>
    private static async Task CleanUpAsync(string dir, IEnumerable<string> namespaces, IEnumerable<string> links)
    {
        if (Directory.Exists(dir))
        {
            try
            {
                await RunAsync(TimeSpan.FromSeconds(90), null, "lab", "down", "--dir", dir);
            }
            catch (TimeoutException)
            {
                // Fall through to the manual removal.
            }
        }

        foreach (var pid in LabProcesses(dir))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OperationCanceledException)
            {
                // Gone already.
            }
        }

        foreach (var link in links)
        {
            if (Directory.Exists($"/sys/class/net/{link}"))
            {
                Ip("link", "del", link);
            }
        }

        foreach (var ns in namespaces.Intersect(Namespaces()))
        {
            Ip("netns", "del", ns);
        }

        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>Runs <c>hyperion ARGS</c> to completion (killed after <paramref name="timeout"/>), with extra environment variables.</summary>

    private static Task<HyperionCommandRun> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string>? env, params string[] args) => HyperionCommand.RunAsync(timeout, env, args);
}
