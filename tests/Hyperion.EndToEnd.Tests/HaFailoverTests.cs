using System.Diagnostics;
using Hyperion.Contracts.Ha;
using Hyperion.Testing;
using Xunit.Abstractions;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// vSphere HA, fault-injected: a three-host lab (an etcd member per host) with HA on, real tiny guests on the shared
/// datastore, faults from <c>hyperion lab fault</c>. A watcher samples every 50 ms how many QEMUs run each protected
/// VM: two at once (longer than QEMU's own daemonize hand-over) fails the test. The fencing margin itself (fence before
/// the lease can expire) is proven on fake time in <c>HaAgentTests</c>; here the order is checked: fenced, then restarted.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HaFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Faults_AgentCrashQemuCrashThenMasterPowerLossWithTheCenterDown_RestartedOnceEach()
    {
        await using var lab = await HaLab.UpAsync(hosts: 3);
        await lab.CreateRunningVmAsync("web", hostIndex: 2);
        await lab.CreateRunningVmAsync("db", hostIndex: 1);
        var (webUuid, dbUuid) = (lab.UuidOf("web"), lab.UuidOf("db"));
        var uuids = new[] { webUuid, dbUuid, lab.UuidOf("demo") };
        using var stop = new CancellationTokenSource();
        var watcher = HaLab.WatchNeverTwiceAsync(uuids, TimeSpan.FromMilliseconds(50), stop.Token);
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Vms.Count(v => v.Protection == HaVmProtectionStates.Protected) == 3, TimeSpan.FromSeconds(30), "the three VMs protected");
        foreach (var name in new[] { "web", "db" })
        {
            await Eventually.TrueAsync(() => Task.FromResult(lab.TickedAfterBoot(name, 0)), RestartTimeout, $"{name} booted");
        }
        var status = await lab.StatusAsync();
        var host1 = await lab.HostAsync(1);
        Assert.Equal(host1.Id, status.MasterHostId); // the first host given HA wins the election
        Assert.Equal(3, status.Hosts.Count(h => h.State is HaHostStates.Master or HaHostStates.Connected));

        // Agent crash only: its VMs keep running, nothing restarted elsewhere; the agent comes back and re-adopts.
        var webPid = Assert.Single(HaLab.QemusOf(webUuid));
        await lab.FaultAsync(2, "agent-crash");
        await Task.Delay(TimeSpan.FromSeconds(10)); // two lease TTLs: the master has long seen the lease gone
        Assert.Equal([webPid], HaLab.QemusOf(webUuid));
        await lab.PowerOnAsync(2);
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Vms.Single(v => v.Name == "web") is { Protection: HaVmProtectionStates.Protected } w && w.OwnerHostId == (await lab.HostAsync(2)).Id, TimeSpan.FromSeconds(30), "web owned by host-2 again after the agent restart");
        Assert.Equal([webPid], HaLab.QemusOf(webUuid));

        // QEMU crash of one VM: VM monitoring restarts it on the same host.
        var boots = TinyGuestLog.CountBoots(lab.SerialLog("web"));
        Process.GetProcessById(webPid).Kill();
        await Eventually.TrueAsync(() => Task.FromResult(lab.TickedAfterBoot("web", boots)), RestartTimeout, "web restarted by VM monitoring");
        Assert.NotEqual(webPid, Assert.Single(HaLab.QemusOf(webUuid)));
        Assert.Equal((await lab.HostAsync(2)).Id, (await lab.StatusAsync()).Vms.Single(v => v.Name == "web").HostId);

        // A hung guest (the tiny guest stops ticking after 20 ticks): VM monitoring resets it, same QEMU.
        var hung = await lab.CreateRunningVmAsync("hung", hostIndex: 3, kernelArgs: "hyperion.hang=20");
        (await lab.Center.SendAsync(HttpMethod.Put, $"/api/vms/{hung.Id}/ha", new Contracts.Ha.VmHaRequest(null, true, 5))).EnsureStatus(System.Net.HttpStatusCode.OK);
        await Eventually.TrueAsync(() => Task.FromResult(lab.SerialLog("hung").Contains("hyperion-tiny hang", StringComparison.Ordinal)), RestartTimeout, "the guest hangs");
        var hungPid = Assert.Single(HaLab.QemusOf(lab.UuidOf("hung")));
        await Eventually.TrueAsync(() => Task.FromResult(TinyGuestLog.CountBoots(lab.SerialLog("hung")) >= 2), RestartTimeout, "the hung guest reset by VM monitoring");
        Assert.Equal([hungPid], HaLab.QemusOf(lab.UuidOf("hung")));

        // The Center goes down, then the master (host-1, running db) loses power: a new master restarts db.
        boots = TinyGuestLog.CountBoots(lab.SerialLog("db"));
        lab.KillCenter();
        var clock = Stopwatch.StartNew();
        await lab.FaultAsync(1, "power-off");
        await Eventually.TrueAsync(() => Task.FromResult(lab.TickedAfterBoot("db", boots)), RestartTimeout, "db restarted on a survivor with the Center down");
        output.WriteLine($"failover (power loss of the master host → first tick of the restarted VM): {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Single(HaLab.QemusOf(dbUuid));

        stop.Cancel();
        var (max, when) = await watcher;
        Assert.True(max <= 1, $"a VM ran twice: {when}");
    }

    [Fact]
    public async Task Faults_IsolationThenFlappingPartitions_FencedBeforeRestart_NoVmLostNoneDuplicated()
    {
        await using var lab = await HaLab.UpAsync(hosts: 3);
        await lab.CreateRunningVmAsync("iso", hostIndex: 3);
        await lab.CreateRunningVmAsync("other", hostIndex: 2);
        var isoUuid = lab.UuidOf("iso");
        var uuids = new[] { isoUuid, lab.UuidOf("other"), lab.UuidOf("demo") };
        using var stop = new CancellationTokenSource();
        var watcher = HaLab.WatchNeverTwiceAsync(uuids, TimeSpan.FromMilliseconds(50), stop.Token);
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Vms.Count(v => v.Protection == HaVmProtectionStates.Protected) == 3, TimeSpan.FromSeconds(30), "three VMs protected");
        foreach (var name in new[] { "iso", "other" })
        {
            await Eventually.TrueAsync(() => Task.FromResult(lab.TickedAfterBoot(name, 0)), RestartTimeout, $"{name} booted");
        }

        // Isolation (every link down, storage kept): host-3 fences iso itself; only then does it run elsewhere.
        var isoPid = Assert.Single(HaLab.QemusOf(isoUuid));
        var boots = TinyGuestLog.CountBoots(lab.SerialLog("iso"));
        var clock = Stopwatch.StartNew();
        await lab.FaultAsync(3, "isolate");
        await Eventually.TrueAsync(() => Task.FromResult(!HaLab.QemusOf(isoUuid).Contains(isoPid)), TimeSpan.FromSeconds(10), "iso fenced on the isolated host");
        var fencedAfter = clock.Elapsed;
        Assert.Equal(0, HaLab.QemusOf(isoUuid).Count(p => p != isoPid)); // nothing started elsewhere before the fence
        await Eventually.TrueAsync(() => Task.FromResult(lab.TickedAfterBoot("iso", boots)), RestartTimeout, "iso restarted elsewhere");
        output.WriteLine($"isolation (from the lab command): fenced after {fencedAfter.TotalSeconds:F1} s, running elsewhere after {clock.Elapsed.TotalSeconds:F1} s");
        var host3 = (await lab.HostAsync(3)).Id;
        var status = await lab.StatusAsync();
        Assert.NotEqual(host3, status.Vms.Single(v => v.Name == "iso").HostId);
        Assert.Contains(status.Hosts, h => h.HostId == host3 && h.State is HaHostStates.Isolated or HaHostStates.Partitioned);

        // The master's decisions reach the Center's events (recorded from the hosts' own event logs).
        await Eventually.TrueAsync(
            async () => (await HaLab.ItemsAsync<Contracts.Center.CenterEventDto>(lab.Center, "/api/events?type=ha.vm-restarted&limit=100")).Any(e => e.Message.Contains("(VM iso)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "the Center records the restart of iso");

        await lab.FaultAsync(3, "heal");
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Hosts.Count(h => h.State is HaHostStates.Master or HaHostStates.Connected) == 3, TimeSpan.FromSeconds(30), "host-3 back in the cluster");

        // Flapping: partitions and isolations shorter and longer than the lease, healed each time.
        for (var round = 0; round < 3; round++)
        {
            await lab.FaultAsync(1, "partition");
            await Task.Delay(TimeSpan.FromSeconds(2));
            await lab.FaultAsync(1, "heal");
            await lab.FaultAsync(2, "isolate");
            await Task.Delay(TimeSpan.FromSeconds(round == 1 ? 8 : 2));
            await lab.FaultAsync(2, "heal");
        }

        // No VM lost: each one runs exactly once again.
        try
        {
            foreach (var uuid in uuids)
            {
                await Eventually.TrueAsync(() => Task.FromResult(HaLab.QemusOf(uuid).Count == 1), RestartTimeout, $"VM {uuid} running once after the flapping");
            }
        }
        catch (TimeoutException)
        {
            await ReportAsync(lab, uuids);
            throw;
        }

        stop.Cancel();
        var (max, when) = await watcher;
        Assert.True(max <= 1, $"a VM ran twice: {when}");

        // (A live migration runs two QEMUs of one VM on purpose — source and paused destination — so the watcher ends here.)
        // Maintenance mode with HA on: the host's VMs leave by vMotion (same QEMU count, new host), it stops counting
        // for admission and the master places nothing on it.
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Hosts.Count(h => h.State is HaHostStates.Master or HaHostStates.Connected) == 3, TimeSpan.FromSeconds(30), "all hosts back after the flapping");
        var host2 = await lab.HostAsync(2);
        await lab.CreateRunningVmAsync("moving", hostIndex: 2);
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Vms.Count(v => v.Protection == HaVmProtectionStates.Protected) == 4, TimeSpan.FromSeconds(30), "moving protected");
        var movingPid = Assert.Single(HaLab.QemusOf(lab.UuidOf("moving")));
        var before = await lab.StatusAsync();
        await lab.Center.SucceedsAsync(await lab.Center.SendAsync(HttpMethod.Post, $"/api/hosts/{host2.Id}/enter-maintenance"), TimeSpan.FromSeconds(120));
        // The task ends when the Center sees no VM running there; the HA records follow within a round of the targets.
        var after = await Eventually.GetAsync(lab.StatusAsync, s => s.Vms.All(v => v.HostId != host2.Id), TimeSpan.FromSeconds(15), "the HA records of the moved VMs name their new hosts");
        Assert.DoesNotContain(movingPid, HaLab.QemusOf(lab.UuidOf("moving"))); // it left by vMotion: a QEMU on another host
        Assert.Single(HaLab.QemusOf(lab.UuidOf("moving")));
        Assert.Equal(before.Vms.Count, after.Vms.Count(v => v.Protection == HaVmProtectionStates.Protected));
        Assert.True(after.Admission!.TotalMemoryMiB < before.Admission!.TotalMemoryMiB, "a host in maintenance does not count for admission control");
        await Eventually.TrueAsync(async () => (await lab.StatusAsync()).Hosts.Single(h => h.HostId == host2.Id).State == HaHostStates.Maintenance, TimeSpan.FromSeconds(90), "host-2 shown in maintenance by the master");

    }

    /// <summary>What the cluster thinks when a VM is not back: QEMUs per VM, the HA status, the last HA events.</summary>
    private async Task ReportAsync(HaLab lab, IEnumerable<string> uuids)
    {
        foreach (var uuid in uuids)
        {
            output.WriteLine($"VM {uuid}: QEMU pids [{string.Join(", ", HaLab.QemusOf(uuid))}]");
        }

        var status = await lab.StatusAsync();
        output.WriteLine($"master {status.MasterHostId}; hosts: {string.Join("; ", status.Hosts.Select(h => $"{h.HostId} {h.State}"))}");
        output.WriteLine($"VMs: {string.Join("; ", status.Vms.Select(v => $"{v.Name} {v.Uuid} on {v.HostId} owner {v.OwnerHostId} {v.Protection} {v.Message}"))}");
        foreach (var e in (await HaLab.ItemsAsync<Contracts.Center.CenterEventDto>(lab.Center, "/api/events?limit=200")).Where(e => e.Type.StartsWith("ha.", StringComparison.Ordinal) || e.Type.StartsWith("vm.", StringComparison.Ordinal)).OrderBy(e => e.Id).TakeLast(80))
        {
            output.WriteLine($"{e.Time:HH:mm:ss.fff} {e.Type} {e.Message}");
        }
    }
}
