using Hyperion.Contracts.Events;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Ha;
using Hyperion.Host.Ha;
using Hyperion.Host.Vms;

namespace Hyperion.Host.Tests.Ha;

/// <summary>The HA protocol on fake time: lease, election, ownership, self-fencing, restarts — and never a VM twice.</summary>
public sealed class HaAgentTests
{
    [Fact]
    public async Task Reconcile_ThreeHosts_OneMasterAndTheRunningVmOwned()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[2].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);

        var masters = cluster.Members.Where(m => m.Runtime.State.State == HaHostStates.Master).Select(m => m.HostId).ToList();
        Assert.Single(masters);
        Assert.All(cluster.Members, m => Assert.Equal(masters[0], m.Runtime.State.MasterHostId));
        Assert.Equal("host-2", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}"));
        var seen = Assert.Single(cluster[1].Runtime.State.Vms);
        Assert.Equal(HaVmProtectionStates.Protected, seen.Protection);
        Assert.Equal(3, cluster[1].Runtime.State.Hosts.Count(h => h.LeaseHeld));
    }

    [Fact]
    public async Task PriorityChange_OfARunningProtectedVm_ReachesItsRecordAndTheMastersView()
    {
        // Found by the web client's HA test: the record was compared on its location only, so a new priority never left the host.
        using var cluster = new HaTestCluster(2);
        var vm = cluster[2].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);
        var master = cluster.Members.Single(m => m.Runtime.State.State == HaHostStates.Master);
        Assert.Equal(HaRestartPriorities.Medium, Assert.Single(master.Runtime.State.Vms).RestartPriority);

        cluster[2].Vms.Reconfigure(vm.Spec.Uuid, vm.Spec with { RestartPriority = HaRestartPriority.High });
        await cluster.StepsAsync(2);
        Assert.Equal(HaRestartPriorities.High, Assert.Single(master.Runtime.State.Vms).RestartPriority);
        Assert.Contains("\"priority\":\"high\"", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/vms/{vm.Spec.Uuid:D}"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Restart_ManyAssignedToOneHost_UnderWayTogetherUpToTheLimit_NeverBeyond_LeaseKeptMeanwhile()
    {
        using var cluster = new HaTestCluster(2, ha: new HaOptions { MaxConcurrentRestarts = 3 });
        cluster[2].Vms.FreeMemoryMiB = 4096;
        var vms = Enumerable.Range(1, 7).Select(i => cluster[1].Vms.Add(HaTestCluster.Vm($"vm{i}"), running: true)).ToList();
        cluster[2].Vms.HoldPowerOns = true;
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster[2].Vms.PowerOnsUnderWay.Count == 3, "three restarts under way at once");

        // QEMU starts that take 10 s (longer than the lease TTL): the limit holds, and the rounds go on keeping the lease.
        await cluster.StepsAsync(20);
        Assert.Equal(3, cluster[2].Vms.PowerOnsUnderWay.Count);
        Assert.Equal(3, cluster[2].Vms.PowerOnsBegun.Count);
        Assert.True(cluster.Etcd.LeaseAlive(cluster[2].Runtime.Lease), "the restarts must not hold up the keepalive");
        Assert.False(cluster[2].Runtime.Fenced);

        // Each one that finishes frees its slot for the next.
        for (var i = 0; i < 20 && cluster[2].Vms.PowerOnsUnderWay.Count > 0; i++)
        {
            cluster[2].Vms.FinishPowerOn(cluster[2].Vms.PowerOnsUnderWay.First());
            await cluster.StepAsync();
            Assert.InRange(cluster[2].Vms.PowerOnsUnderWay.Count, 0, 3);
        }

        Assert.All(vms, vm => Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid)));
        Assert.Equal(3, cluster[2].Vms.MostPowerOnsUnderWay);
        Assert.Equal(vms.Select(v => v.Spec.Uuid).Order(), cluster[2].Vms.PowerOnsBegun.Order());
        Assert.All(vms, vm => Assert.Equal("host-2", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}")));
        Assert.Equal(7, cluster[2].Events.List(0, 10_000).Count(e => e.Type == EventTypes.HaVmRestarted));
    }

    [Fact]
    public async Task Restart_MoreAssignedThanSlots_HigherPriorityStartedFirst()
    {
        using var cluster = new HaTestCluster(2, ha: new HaOptions { MaxConcurrentRestarts = 2 });
        cluster[2].Vms.FreeMemoryMiB = 4096;
        // Names against the priority order, so neither name nor insertion order explains the result.
        foreach (var (name, priority) in new[] { ("a-low", HaRestartPriority.Low), ("b-low", HaRestartPriority.Low), ("c-medium", HaRestartPriority.Medium), ("d-medium", HaRestartPriority.Medium), ("e-high", HaRestartPriority.High), ("f-high", HaRestartPriority.High) })
        {
            cluster[1].Vms.Add(HaTestCluster.Vm(name, priority), running: true);
        }

        cluster[2].Vms.HoldPowerOns = true;
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster[2].Vms.PowerOnsUnderWay.Count == 2, "two restarts under way");
        Assert.All(cluster[2].Vms.PowerOnsUnderWay, uuid => Assert.Equal(HaRestartPriority.High, cluster.World.Catalog[uuid].RestartPriority));

        for (var i = 0; i < 20 && cluster[2].Vms.PowerOnsUnderWay.Count > 0; i++)
        {
            cluster[2].Vms.FinishPowerOn(cluster[2].Vms.PowerOnsUnderWay.First());
            await cluster.StepAsync();
        }

        Assert.Equal(
            [HaRestartPriority.High, HaRestartPriority.High, HaRestartPriority.Medium, HaRestartPriority.Medium, HaRestartPriority.Low, HaRestartPriority.Low],
            cluster[2].Vms.PowerOnsBegun.Select(uuid => cluster.World.Catalog[uuid].RestartPriority));
        Assert.All(cluster.World.Catalog.Keys, uuid => Assert.Equal(["host-2"], cluster.World.RunningOn(uuid)));
    }

    [Fact]
    public async Task Restart_OneOfSeveralFailsOnTheTarget_TheOthersGoOn_TheFailedOneIsReportedAndRunsElsewhere()
    {
        using var cluster = new HaTestCluster(3, ha: new HaOptions { MaxConcurrentRestarts = 2 });
        cluster[2].Vms.FreeMemoryMiB = 4096;
        var vms = Enumerable.Range(1, 4).Select(i => cluster[1].Vms.Add(HaTestCluster.Vm($"vm{i}"), running: true)).ToList();
        cluster[2].Vms.PowerOnFailsFor.Add(vms[0].Spec.Uuid);
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => vms.TrueForAll(vm => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1), "every VM restarted");

        Assert.Equal(["host-3"], cluster.World.RunningOn(vms[0].Spec.Uuid));
        Assert.All(vms.Skip(1), vm => Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid)));
        Assert.Contains(cluster[2].Events.List(0, 10_000), e => e.Type == EventTypes.HaVmRestartFailed && e.VmName == "vm1");
        Assert.Single(cluster[3].Vms.PowerOnsBegun, vms[0].Spec.Uuid);
        await cluster.StepsAsync(6);
        Assert.All(vms, vm => Assert.Single(cluster.World.RunningOn(vm.Spec.Uuid)));
    }

    [Fact]
    public async Task Restart_TargetIsolatedWhileRestartsWait_TheWaitingOnesNeverStartThere_EveryVmRunsOnceElsewhere()
    {
        using var cluster = new HaTestCluster(3, ha: new HaOptions { MaxConcurrentRestarts = 1 });
        cluster[2].Vms.FreeMemoryMiB = 4096;
        var vms = Enumerable.Range(1, 3).Select(i => cluster[1].Vms.Add(HaTestCluster.Vm($"vm{i}"), running: true)).ToList();
        cluster[2].Vms.HoldPowerOns = true;
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster[2].Vms.PowerOnsUnderWay.Count == 1, "the first restart under way");
        var first = cluster[2].Vms.PowerOnsUnderWay.Single();

        cluster[2].Client.Reachable = false;
        await cluster.UntilAsync(() => cluster[2].Runtime.Fenced, "host-2 applies its isolation response");

        // Its QEMU comes up just after the watchdog fenced: it gets the isolation response too (its record still names
        // host-1, whose stale heartbeat protects nothing); the waiting ones never start here.
        cluster[2].Vms.FinishPowerOn(first);
        await cluster.StepAsync();
        Assert.False(cluster[2].Vms.Runs(first));
        Assert.Equal([first], cluster[2].Vms.PowerOnsBegun);

        await cluster.UntilAsync(() => vms.TrueForAll(vm => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1), "every VM restarted elsewhere");
        Assert.All(vms, vm => Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid)));
        Assert.Equal([first], cluster[2].Vms.PowerOnsBegun);
    }

    [Fact]
    public async Task Restart_FencedAsItCameUp_LeaseSurvivesTheOutage_RestartedHereNotLost()
    {
        // Owned here under a lease that survives: nobody else may restart it, so this host must.
        using var cluster = new HaTestCluster(3, ha: new HaOptions { MaxConcurrentRestarts = 1 });
        cluster[2].Vms.FreeMemoryMiB = 4096;
        var vm = cluster[1].Vms.Add(HaTestCluster.Vm("web"), running: true);
        cluster[2].Vms.HoldPowerOns = true;
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster[2].Vms.PowerOnsUnderWay.Count == 1, "the restart under way");
        var lease = cluster[2].Runtime.Lease;
        cluster[2].Client.Reachable = false;
        await cluster.UntilAsync(() => cluster[2].Runtime.Fenced, "host-2 applies its isolation response");
        cluster[2].Client.Reachable = true;
        cluster[2].Vms.HoldPowerOns = false;
        cluster[2].Vms.FinishPowerOn(vm.Spec.Uuid);
        Assert.False(cluster[2].Vms.Runs(vm.Spec.Uuid));

        await cluster.UntilAsync(() => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1, "restarted again");
        Assert.Equal(lease, cluster[2].Runtime.Lease);
        Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid));
        await cluster.StepsAsync(6);
        Assert.Equal("host-2", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}"));
        Assert.Contains("host-2", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/vms/{vm.Spec.Uuid:D}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Isolation_HealedBeforeTheLeaseExpired_TheFencedVmIsRestartedHere()
    {
        // Found by the flapping end-to-end test: after a short isolation the host keeps its lease (and the VM's
        // ownership), so nobody else may restart the VM; a restart check on "fenced" left it off for good.
        using var cluster = new HaTestCluster(3);
        var vm = cluster[2].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);
        var lease = cluster[2].Runtime.Lease;

        cluster[2].Client.Reachable = false;
        await cluster.UntilAsync(() => !cluster[2].Vms.Runs(vm.Spec.Uuid), "self-fencing");
        cluster[2].Client.Reachable = true;

        await cluster.UntilAsync(() => cluster[2].Vms.Runs(vm.Spec.Uuid), "restarted on its own host", max: 10);
        Assert.Equal(lease, cluster[2].Runtime.Lease);
        Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid));
    }

    [Fact]
    public async Task PowerLoss_OfAHost_ItsVmRestartsOnASurvivorAfterTheLeaseExpires()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[2].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(4);

        var lostAt = cluster.Time.GetUtcNow();
        cluster[2].PowerOff();
        var took = await cluster.UntilAsync(() => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1, "restart on a survivor");

        var survivor = Assert.Single(cluster.World.RunningOn(vm.Spec.Uuid));
        Assert.NotEqual("host-2", survivor);
        // Not before the lease could have expired (TTL 5 s), and well within the 10 s goal on this clock.
        Assert.InRange(took, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8));
        Assert.True(cluster.Time.GetUtcNow() - lostAt >= TimeSpan.FromSeconds(5));
        await cluster.StepsAsync(2);
        Assert.Equal(HaHostStates.Failed, cluster[1].Runtime.State.Hosts.Single(h => h.HostId == "host-2").State);
    }

    [Fact]
    public async Task PowerLoss_OfTheMaster_ANewMasterIsElectedAndRestartsItsVms()
    {
        using var cluster = new HaTestCluster(3);
        await cluster.StepsAsync(2);
        var master = cluster.Members.Single(m => m.Runtime.State.State == HaHostStates.Master);
        var vm = master.Vms.Add(HaTestCluster.Vm("db", HaRestartPriority.High), running: true);
        await cluster.StepsAsync(2);

        master.PowerOff();
        await cluster.UntilAsync(() => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1, "restart by the new master");

        var newMaster = cluster.Members.Single(m => m.AgentAlive && m.Runtime.State.State == HaHostStates.Master);
        Assert.NotEqual(master.HostId, newMaster.HostId);
    }

    [Fact]
    public async Task Isolation_PowerOffResponse_FencesBeforeTheLeaseExpires_ThenTheVmRunsElsewhere()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[3].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);
        var lease = cluster[3].Runtime.Lease;
        var lastOk = cluster[3].Runtime.LastSuccessSentAt;

        cluster[3].Client.Reachable = false;
        await cluster.UntilAsync(() => !cluster[3].Vms.Runs(vm.Spec.Uuid), "self-fencing");
        var fencedAt = cluster.Time.GetUtcNow();
        Assert.True(cluster.Etcd.LeaseAlive(lease), "the host must fence itself while its lease still exists");
        Assert.True(fencedAt - lastOk < TimeSpan.FromSeconds(5), $"fenced {(fencedAt - lastOk).TotalSeconds:F1} s after the last keepalive: not before the lease TTL");
        Assert.Equal(VmExitCause.Fenced, cluster[3].Vms.Find(vm.Spec.Uuid)!.LastExit);

        await cluster.UntilAsync(() => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1, "restart elsewhere");
        Assert.False(cluster.Etcd.LeaseAlive(lease));
        Assert.Equal(HaHostStates.Isolated, cluster[3].Runtime.State.State);

        // Healed: the isolated host takes a new lease, drops its stale registration, runs nothing twice.
        cluster[3].Client.Reachable = true;
        await cluster.UntilAsync(() => cluster[3].Vms.Find(vm.Spec.Uuid) is null, "stale registration removed");
        await cluster.StepsAsync(4);
        Assert.Single(cluster.World.RunningOn(vm.Spec.Uuid));
    }

    [Fact]
    public async Task Isolation_LeaveOnResponse_TheVmKeepsRunningAndIsNotRestartedElsewhere()
    {
        using var cluster = new HaTestCluster(3, HaIsolationResponses.LeaveOn);
        var vm = cluster[3].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);

        cluster[3].Client.Reachable = false;
        await cluster.StepsAsync(30);

        Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid));
        var master = cluster.Members.Single(m => m.Runtime.State.State == HaHostStates.Master);
        Assert.Equal(HaVmProtectionStates.RunningOnIsolatedHost, master.Runtime.State.Vms.Single().Protection);
        Assert.Equal(HaHostStates.Isolated, master.Runtime.State.Hosts.Single(h => h.HostId == "host-3").State);

        cluster[3].Client.Reachable = true;
        await cluster.UntilAsync(() => cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}") == "host-3", "ownership re-taken after heal");
        Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid));
    }

    [Fact]
    public async Task AgentCrash_VmsKeepRunning_NothingRestartedElsewhere_AndTheAgentReadopts()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[2].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);

        cluster[2].AgentAlive = false;
        await cluster.StepsAsync(30);
        Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid));

        cluster[2].RestartAgent();
        await cluster.UntilAsync(() => cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}") == "host-2", "ownership re-taken");
        Assert.Equal(["host-2"], cluster.World.RunningOn(vm.Spec.Uuid));
    }

    [Fact]
    public async Task VmMonitoring_QemuCrash_RestartedOnTheSameHost_PowerOffUnprotects()
    {
        using var cluster = new HaTestCluster(2);
        var vm = cluster[1].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);

        cluster[1].Vms.Stop(vm.Spec.Uuid, VmExitCause.Crashed);
        await cluster.UntilAsync(() => cluster[1].Vms.Runs(vm.Spec.Uuid), "restart by VM monitoring", max: 4);

        cluster[1].Vms.Stop(vm.Spec.Uuid, VmExitCause.Requested);
        await cluster.StepsAsync(20);
        Assert.Empty(cluster.World.RunningOn(vm.Spec.Uuid));
        Assert.Null(cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/vms/{vm.Spec.Uuid:D}"));
    }

    [Fact]
    public async Task Restart_PriorityOrderAndCapacity_HighFirst_UnplacedReported_RetriedWhenCapacityAppears()
    {
        using var cluster = new HaTestCluster(2);
        cluster[2].Vms.FreeMemoryMiB = 300;
        var low = cluster[1].Vms.Add(HaTestCluster.Vm("a-low", HaRestartPriority.Low, 200), running: true);
        var high = cluster[1].Vms.Add(HaTestCluster.Vm("z-high", HaRestartPriority.High, 200), running: true);
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster.World.RunningOn(high.Spec.Uuid).Count == 1, "high priority restarted");
        await cluster.StepsAsync(2);
        Assert.Empty(cluster.World.RunningOn(low.Spec.Uuid));
        Assert.Equal(HaVmProtectionStates.Unplaced, cluster[2].Runtime.State.Vms.Single(v => v.Name == "a-low").Protection);

        cluster[2].Vms.FreeMemoryMiB = 600;
        await cluster.UntilAsync(() => cluster.World.RunningOn(low.Spec.Uuid).Count == 1, "low priority placed once capacity appears");
    }

    [Fact]
    public async Task Restart_TargetFailsToStartIt_TriedOnAnotherHost()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[1].Vms.Add(HaTestCluster.Vm("web"), running: true);
        cluster[2].Vms.FreeMemoryMiB = 4096;
        cluster[2].Vms.PowerOnFails = true;
        await cluster.StepsAsync(3);

        cluster[1].PowerOff();
        await cluster.UntilAsync(() => cluster.World.RunningOn(vm.Spec.Uuid).Count == 1, "restart on the host that can");
        Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid));
    }

    [Fact]
    public async Task Flapping_PartitionAndHealRepeatedly_NoVmLostNoneDuplicated()
    {
        using var cluster = new HaTestCluster(3);
        var vms = Enumerable.Range(1, 3).Select(i => cluster[i].Vms.Add(HaTestCluster.Vm($"vm{i}"), running: true)).ToList();
        await cluster.StepsAsync(3);

        for (var round = 0; round < 6; round++)
        {
            var cut = cluster[(round % 3) + 1];
            cut.Client.Reachable = false;
            await cluster.StepsAsync(round % 2 == 0 ? 4 : 14); // shorter than the fence time, then longer than the lease
            cut.Client.Reachable = true;
            await cluster.StepsAsync(6);
        }

        await cluster.StepsAsync(20);
        Assert.All(vms, vm => Assert.Single(cluster.World.RunningOn(vm.Spec.Uuid)));
    }

    [Fact]
    public async Task PowerOnUnderWay_OwnershipTakenBeforeQemuStarts_NotUnprotectedMeanwhile()
    {
        using var cluster = new HaTestCluster(2);
        var vm = cluster[1].Vms.Add(HaTestCluster.Vm("web"), running: false);
        await cluster.StepsAsync(2);

        // What VmService.PowerAsync does: ownership first (under the VM's operation lock), QEMU a moment later.
        cluster[1].Vms.SetBusy(vm.Spec.Uuid, true);
        await cluster[1].Runtime.AcquireForPowerOnAsync(vm.Spec, "shared", "web", CancellationToken.None);
        await cluster.StepsAsync(3);
        Assert.NotNull(cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/vms/{vm.Spec.Uuid:D}"));
        Assert.Equal("host-1", cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}"));

        await cluster[2].Runtime.AcquireForPowerOnAsync(vm.Spec, "shared", "web", CancellationToken.None).ContinueWith(t => Assert.IsType<Domain.Errors.DomainException>(t.Exception?.InnerException), TaskScheduler.Default);
    }

    [Fact]
    public async Task VmMonitoring_GuestHeartbeatStops_ResetAfterTheFailureInterval_AtMostThreeTimesAnHour()
    {
        using var cluster = new HaTestCluster(2);
        var spec = HaTestCluster.Vm("hung") with { VmMonitoringTimeoutSeconds = 5 };
        var vm = cluster[1].Vms.Add(spec, running: true);
        var serial = cluster[1].Vms.WithGuestHeartbeat(spec.Uuid, 4242);

        // Beating: never reset.
        for (var i = 0; i < 20; i++)
        {
            File.AppendAllText(serial, $"tick {i}\n");
            await cluster.StepAsync();
        }

        Assert.Empty(cluster[1].Vms.Resets);

        // Silent: reset once the failure interval has passed since the last heartbeat, not before.
        await cluster.StepsAsync(9);
        Assert.Empty(cluster[1].Vms.Resets);
        await cluster.StepsAsync(2);
        Assert.Equal([vm.Id], cluster[1].Vms.Resets);

        // A guest that never beats again after the reset is not reset again (no heartbeat seen since).
        await cluster.StepsAsync(30);
        Assert.Single(cluster[1].Vms.Resets);

        // Beats again, hangs again: reset again, up to three times an hour.
        for (var round = 0; round < 4; round++)
        {
            File.AppendAllText(serial, "tick\n");
            await cluster.StepAsync();
            File.AppendAllText(serial, "tick\n");
            await cluster.StepsAsync(14);
        }

        Assert.Equal(3, cluster[1].Vms.Resets.Count);
    }

    [Fact]
    public async Task VmMonitoring_GuestAgentStopsAnswering_ResetAfterTheFailureIntervalFromItsLastAnswer()
    {
        using var cluster = new HaTestCluster(2);
        var spec = HaTestCluster.Vm("agent") with { GuestAgent = true, VmMonitoringTimeoutSeconds = 5 };
        var vm = cluster[1].Vms.Add(spec, running: true);
        cluster[1].Vms.WithGuestAgent(spec.Uuid, 4243);

        // Answering every 2 s (the poll interval): never reset.
        DateTimeOffset last = default;
        for (var i = 0; i < 20; i++)
        {
            if (i % 4 == 0)
            {
                last = cluster.Time.GetUtcNow();
                cluster[1].Vms.GuestAgentAnswered(spec.Uuid, last);
            }

            await cluster.StepAsync();
        }

        Assert.Empty(cluster[1].Vms.Resets);

        // Silent: reset once 5 s have passed since its last answer (not since the monitor noticed it).
        await cluster.UntilAsync(() => cluster[1].Vms.Resets.Count == 1, "the VM reset");
        var after = cluster.Time.GetUtcNow() - last;
        Assert.InRange(after, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
        Assert.Equal([vm.Id], cluster[1].Vms.Resets);

        // After the reset only a new answer re-arms the monitoring.
        await cluster.StepsAsync(30);
        Assert.Single(cluster[1].Vms.Resets);
    }

    [Fact]
    public async Task VmMonitoring_GuestAgentNeverAnswered_NeverReset_TheSerialLogIsNotItsHeartbeat()
    {
        // A guest without an installed agent is not monitored (vSphere watches only after the first heartbeat); a VM
        // with the agent channel is watched through its agent only, even when it also has the tiny guest's serial log.
        using var cluster = new HaTestCluster(2);
        var spec = HaTestCluster.Vm("noagent") with { GuestAgent = true, VmMonitoringTimeoutSeconds = 5 };
        cluster[1].Vms.Add(spec, running: true);
        var serial = cluster[1].Vms.WithGuestHeartbeat(spec.Uuid, 4244);
        File.AppendAllText(serial, "tick 1\n");
        await cluster.StepAsync();
        File.AppendAllText(serial, "tick 2\n");

        await cluster.StepsAsync(60);
        Assert.Empty(cluster[1].Vms.Resets);
    }

    [Fact]
    public async Task EtcdUnreachableButNetworkUp_NotIsolated_VmsKeepRunningAndAreNotRestartedElsewhere()
    {
        using var cluster = new HaTestCluster(3);
        var vm = cluster[3].Vms.Add(HaTestCluster.Vm("web"), running: true);
        await cluster.StepsAsync(3);

        // Slow or cut off from etcd's majority, but the other members answer a TCP connect: no isolation response.
        cluster[3].Client.Reachable = false;
        cluster[3].NetworkUp = true;
        await cluster.StepsAsync(30);

        Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid));
        Assert.False(cluster[3].Runtime.Fenced);
        Assert.Equal(HaHostStates.Partitioned, cluster[3].Runtime.State.State);
        var master = cluster.Members.Single(m => m.Runtime.State.State == HaHostStates.Master);
        Assert.Equal(HaVmProtectionStates.RunningOnIsolatedHost, master.Runtime.State.Vms.Single().Protection);

        cluster[3].Client.Reachable = true;
        await cluster.UntilAsync(() => cluster.Etcd.Value($"/hyperion/ha/{HaTestCluster.ClusterId}/owners/{vm.Spec.Uuid:D}") == "host-3", "ownership re-taken");
        Assert.Equal(["host-3"], cluster.World.RunningOn(vm.Spec.Uuid));
    }
}
