using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;

namespace Hyperion.Testing;

/// <summary>
/// A lab (<c>hyperion lab up</c>: Center, N hosts in namespaces, an etcd member per host) with vSphere HA enabled on its
/// cluster, driven as a user would: the Center's REST API and <c>hyperion lab fault|power-on</c>. For the HA
/// fault-injection tests and the failover benchmark. Disposing runs <c>lab down</c>.
/// </summary>
public sealed class HaLab : IAsyncDisposable
{
    private HaLab(string name, string dir, HostApi center, string clusterId)
    {
        Name = name;
        Directory = dir;
        Center = center;
        ClusterId = clusterId;
    }

    public string Name { get; }

    public string Directory { get; }

    public HostApi Center { get; }

    public string ClusterId { get; }

    public static async Task<HaLab> UpAsync(int hosts, string isolationResponse = "power-off", int hostFailuresTolerated = 1)
    {
        var name = "h" + Guid.NewGuid().ToString("N")[..6];
        var subnetByte = await FreeSubnetByteAsync();
        var dir = Path.Combine(Path.GetTempPath(), $"hylab-{name}");
        var up = await RunAsync(TimeSpan.FromSeconds(180), "lab", "up", "--hosts", hosts.ToString(CultureInfo.InvariantCulture), "--dir", dir, "--accel", "tcg",
            "--subnet", $"10.214.{subnetByte}.0/24", "--name", name, "--tiny-guest", TinyGuest.Directory);
        if (up.ExitCode != 0)
        {
            await RunAsync(TimeSpan.FromSeconds(120), "lab", "down", "--dir", dir);
            throw new InvalidOperationException($"lab up failed: {up}");
        }

        HostApi? center = null;
        try
        {
            var env = File.ReadAllLines(Path.Combine(dir, "lab.env")).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            center = new HostApi(HostAgentProcess.CreateHttpClient(new Uri(env["HYPERION_SERVER"]), env["HYPERION_FINGERPRINT"], env["HYPERION_USER"], env["HYPERION_PASSWORD"]));
            var cluster = (await ItemsAsync<ClusterDto>(center, "/api/clusters")).Single();
            var enabled = await center.SendAsync(HttpMethod.Put, $"/api/clusters/{cluster.Id}/ha", new ClusterHaRequest(true, hostFailuresTolerated, isolationResponse, true));
            enabled.EnsureStatus(HttpStatusCode.OK);
            return new HaLab(name, dir, center, cluster.Id);
        }
        catch
        {
            center?.Dispose();
            await RunAsync(TimeSpan.FromSeconds(120), "lab", "down", "--dir", dir);
            throw;
        }
    }

    /// <summary>Creates a tiny-guest VM on the shared datastore of host <paramref name="hostIndex"/> (1-based) and powers it on through the Center.</summary>
    public async Task<CenterVmDto> CreateRunningVmAsync(string name, int hostIndex, long memoryMiB = 96, string? kernelArgs = null, bool guestAgent = false)
    {
        var host = await HostAsync(hostIndex);
        var created = await Center.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = host.Id,
            Spec = new VmCreateRequest { Name = name, MemoryMiB = memoryMiB, Datastore = "shared", Image = "tiny", KernelArgs = kernelArgs, GuestAgent = guestAgent },
        });
        if (created.Status is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw new InvalidOperationException($"create {name}: {created.Status} {created.Body}");
        }

        if (created.Status == HttpStatusCode.Accepted)
        {
            await Center.SucceedsAsync(created, TimeSpan.FromSeconds(60));
        }

        var vm = await VmAsync(name);
        var on = await Center.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on");
        if (on.Status == HttpStatusCode.Accepted)
        {
            await Center.SucceedsAsync(on, TimeSpan.FromSeconds(60));
        }
        else
        {
            on.EnsureStatus(HttpStatusCode.OK);
        }

        return await VmAsync(name);
    }

    public async Task<HostDto> HostAsync(int index)
    {
        var address = $".{10 + index}:";
        return (await ItemsAsync<HostDto>(Center, "/api/hosts")).Single(h => h.Address.Contains(address, StringComparison.Ordinal));
    }

    public async Task<CenterVmDto> VmAsync(string name) => (await ItemsAsync<CenterVmDto>(Center, "/api/vms")).Single(v => v.Name == name);

    public async Task<ClusterHaStatusDto> StatusAsync()
    {
        var status = await Center.SendAsync(HttpMethod.Get, $"/api/clusters/{ClusterId}/ha");
        return status.As<ClusterHaStatusDto>();
    }

    /// <summary><c>hyperion lab fault host-N --kind KIND</c>.</summary>
    public async Task FaultAsync(int hostIndex, string kind)
    {
        var run = await RunAsync(TimeSpan.FromSeconds(60), "lab", "fault", $"host-{hostIndex}", "--kind", kind, "--dir", Directory);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"lab fault host-{hostIndex} --kind {kind}: {run}");
        }
    }

    /// <summary><c>hyperion lab power-on host-N</c>: its etcd member and agent start again.</summary>
    public async Task PowerOnAsync(int hostIndex)
    {
        var run = await RunAsync(TimeSpan.FromSeconds(120), "lab", "power-on", $"host-{hostIndex}", "--dir", Directory);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"lab power-on host-{hostIndex}: {run}");
        }
    }

    /// <summary>The VM's UUID, from its folder's config on the shared datastore.</summary>
    public string UuidOf(string vmName)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "shared", vmName, "vm.json")));
        return config.RootElement.GetProperty("uuid").GetString()!;
    }

    /// <summary>Kills the lab's Center (SIGKILL, PID from state.json): HA must go on without it.</summary>
    public void KillCenter()
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "state.json")));
        var center = state.RootElement.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("role").GetString() == "center");
        using var process = Process.GetProcessById(center.GetProperty("pid").GetInt32());
        process.Kill();
        process.WaitForExit(10_000);
    }

    public string SerialLog(string vmName)
    {
        var path = Path.Combine(Directory, "shared", vmName, "serial.log");
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Whether the guest booted more than <paramref name="boots"/> times and ticked after its last boot.</summary>
    public bool TickedAfterBoot(string vmName, int boots)
    {
        var log = SerialLog(vmName);
        if (TinyGuestLog.CountBoots(log) <= boots)
        {
            return false;
        }

        var last = log.LastIndexOf(TinyGuestLog.BootMarker, StringComparison.Ordinal);
        return TinyGuestLog.Ticks(log[last..]).Count > 0;
    }

    /// <summary>
    /// PIDs of the QEMU processes running VM <paramref name="uuid"/> anywhere on this machine (every lab host shares the
    /// kernel). A QEMU starting with <c>-daemonize</c> forks twice; its transient children are the same VM, not a second
    /// copy, so a process whose parent is one of them is not counted.
    /// </summary>
    public static IReadOnlyList<int> QemusOf(string uuid)
    {
        var all = QemuProcessesOf(uuid);
        return all.Where(p => !all.ContainsKey(p.Value)).Select(p => p.Key).Order().ToList();
    }

    private static Dictionary<int, int> QemuProcessesOf(string uuid)
    {
        var pids = new Dictionary<int, int>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var argv = File.ReadAllText(Path.Combine(entry, "cmdline")).Split('\0');
                if (argv.Length > 0 && argv[0].Contains("qemu-system", StringComparison.Ordinal) && argv.Contains(uuid))
                {
                    var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    pids[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    /// <summary>
    /// Samples every <paramref name="interval"/> until cancelled how many QEMUs run each VM; returns the most seen at
    /// once for longer than <see cref="DuplicateGrace"/> (more than one is a VM running twice). The grace covers QEMU's
    /// <c>-daemonize</c> start, where the launching process waits (for a few hundred ms) beside the daemon it forked.
    /// </summary>
    public static async Task<(int Max, string When)> WatchNeverTwiceAsync(IReadOnlyList<string> uuids, TimeSpan interval, CancellationToken cancellationToken)
    {
        var max = 0;
        var when = string.Empty;
        var since = new Dictionary<string, (string Pids, DateTimeOffset At)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var uuid in uuids)
            {
                var pids = QemusOf(uuid);
                var key = string.Join(",", pids);
                var now = DateTimeOffset.UtcNow;
                if (pids.Count <= 1)
                {
                    since.Remove(uuid);
                    max = Math.Max(max, pids.Count);
                    continue;
                }

                if (!since.TryGetValue(uuid, out var seen) || seen.Pids != key)
                {
                    since[uuid] = (key, now);
                }
                else if (now - seen.At >= DuplicateGrace && pids.Count > max)
                {
                    max = pids.Count;
                    when = $"{seen.At:HH:mm:ss.fff}–{now:HH:mm:ss.fff}: VM {uuid} QEMU pids {key}";
                }
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (max, when);
    }

    /// <summary>How long two QEMU processes of one VM must coexist to count as the VM running twice.</summary>
    public static TimeSpan DuplicateGrace { get; } = TimeSpan.FromSeconds(1.5);

    public async ValueTask DisposeAsync()
    {
        Center.Dispose();
        var down = await RunAsync(TimeSpan.FromSeconds(120), "lab", "down", "--dir", Directory);
        if (down.ExitCode != 0)
        {
            throw new InvalidOperationException($"lab down: {down}");
        }
    }

    public static async Task<List<T>> ItemsAsync<T>(HostApi api, string path)
    {
        var result = await api.SendAsync(HttpMethod.Get, path);
        result.EnsureStatus(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(result.Body);
        var items = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement : document.RootElement.GetProperty("items");
        return items.Deserialize<List<T>>(JsonDefaults.Options)!;
    }

    /// <summary>A third octet for 10.214.X.0/24 that no address or route of the root namespace uses.</summary>
    public static async Task<int> FreeSubnetByteAsync()
    {
        var used = await ExternalTool.RunAsync("ip", "-4", "-o", "addr", "show") + await ExternalTool.RunAsync("ip", "-4", "route", "show");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var candidate = Random.Shared.Next(1, 255);
            if (!used.Contains($"10.214.{candidate}.", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free 10.214.X.0/24 subnet");
    }

    private static Task<HyperionCommandRun> RunAsync(TimeSpan timeout, params string[] args) => HyperionCommand.RunAsync(timeout, null, args);
}
