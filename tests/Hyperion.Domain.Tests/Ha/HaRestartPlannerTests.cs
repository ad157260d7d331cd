using Hyperion.Domain.Ha;

namespace Hyperion.Domain.Tests.Ha;

public sealed class HaRestartPlannerTests
{
    private static readonly IReadOnlyDictionary<Guid, string> NoOwners = new Dictionary<Guid, string>();
    private static readonly IReadOnlyDictionary<Guid, string> NoAssignments = new Dictionary<Guid, string>();
    private static readonly IReadOnlyDictionary<Guid, IReadOnlySet<string>> NoFailures = new Dictionary<Guid, IReadOnlySet<string>>();

    private static HaVmRecord Vm(string name, string host = "h1", HaRestartPriority priority = HaRestartPriority.Medium, long memory = 100) =>
        new(Guid.NewGuid(), name, "shared", name, memory, priority, host);

    private static HaHostView Alive(string id, long free = 1000) => new(id, true, free, false, HaHeartbeatView.Unknown);

    private static HaHostView Dead(string id) => new(id, false, 0, false, new HaHeartbeatView(true, false, new HashSet<Guid>(), false));

    private static Dictionary<string, HaHostView> Hosts(params HaHostView[] hosts) => hosts.ToDictionary(h => h.HostId);

    [Fact]
    public void Plan_OwnedVm_IsProtectedAndNotMoved()
    {
        var vm = Vm("a");
        var plan = HaRestartPlanner.Plan([vm], new Dictionary<Guid, string> { [vm.Uuid] = "h1" }, Hosts(Dead("h1"), Alive("h2")), NoAssignments, NoFailures);
        Assert.Equal(HaVmProtection.Protected, plan.Verdicts.Single().Protection);
        Assert.Empty(plan.NewAssignments);
    }

    [Fact]
    public void Plan_HostStillHoldsItsLease_Waits()
    {
        var plan = HaRestartPlanner.Plan([Vm("a")], NoOwners, Hosts(Alive("h1"), Alive("h2")), NoAssignments, NoFailures);
        Assert.Equal(HaVmProtection.Waiting, plan.Verdicts.Single().Protection);
        Assert.Empty(plan.NewAssignments);
    }

    [Fact]
    public void Plan_HeartbeatNotYetJudged_Waits()
    {
        var plan = HaRestartPlanner.Plan([Vm("a")], NoOwners, Hosts(new HaHostView("h1", false, 0, false, HaHeartbeatView.Unknown), Alive("h2")), NoAssignments, NoFailures);
        Assert.Equal(HaVmProtection.Waiting, plan.Verdicts.Single().Protection);
    }

    [Fact]
    public void Plan_PartitionedHostStillRunsIt_LeftAlone()
    {
        var vm = Vm("a");
        var partitioned = new HaHostView("h1", false, 0, false, new HaHeartbeatView(true, true, new HashSet<Guid> { vm.Uuid }, false));
        var plan = HaRestartPlanner.Plan([vm], NoOwners, Hosts(partitioned, Alive("h2")), NoAssignments, NoFailures);
        Assert.Equal(HaVmProtection.RunningOnIsolatedHost, plan.Verdicts.Single().Protection);
        Assert.Empty(plan.NewAssignments);
    }

    [Fact]
    public void Plan_IsolatedHostFencedIt_RestartedElsewhere()
    {
        var vm = Vm("a");
        var isolated = new HaHostView("h1", false, 0, false, new HaHeartbeatView(true, true, new HashSet<Guid>(), true));
        var plan = HaRestartPlanner.Plan([vm], NoOwners, Hosts(isolated, Alive("h2")), NoAssignments, NoFailures);
        Assert.Equal("h2", plan.NewAssignments.Single().TargetHostId);
    }

    [Fact]
    public void Plan_DeadHost_HighPriorityFirst_OnTheHostWithMostMemory_RestUnplaced()
    {
        var low = Vm("a-low", priority: HaRestartPriority.Low, memory: 300);
        var high = Vm("z-high", priority: HaRestartPriority.High, memory: 300);
        var plan = HaRestartPlanner.Plan([low, high], NoOwners, Hosts(Dead("h1"), Alive("h2", 200), Alive("h3", 400)), NoAssignments, NoFailures);

        var placed = Assert.Single(plan.NewAssignments);
        Assert.Equal(high.Uuid, placed.Vm.Uuid);
        Assert.Equal("h3", placed.TargetHostId);
        var unplaced = plan.Verdicts.Single(v => v.Vm.Uuid == low.Uuid);
        Assert.Equal(HaVmProtection.Unplaced, unplaced.Protection);
        Assert.Contains("300 MiB", unplaced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ExistingAssignmentKept_AndItsMemoryReserved()
    {
        var first = Vm("a", memory: 300);
        var second = Vm("b", memory: 300);
        var plan = HaRestartPlanner.Plan([first, second], NoOwners, Hosts(Dead("h1"), Alive("h2", 400), Alive("h3", 350)), new Dictionary<Guid, string> { [first.Uuid] = "h3" }, NoFailures);

        Assert.Equal(HaVmProtection.Restarting, plan.Verdicts.Single(v => v.Vm.Uuid == first.Uuid).Protection);
        Assert.Equal("h2", plan.NewAssignments.Single().TargetHostId);
    }

    [Fact]
    public void Plan_HostThatFailedToStartIt_NotChosenAgain_NorMaintenanceHosts()
    {
        var vm = Vm("a");
        var failures = new Dictionary<Guid, IReadOnlySet<string>> { [vm.Uuid] = new HashSet<string> { "h2" } };
        var plan = HaRestartPlanner.Plan([vm], NoOwners, Hosts(Dead("h1"), Alive("h2", 9000), new HaHostView("h3", true, 9000, true, HaHeartbeatView.Unknown), Alive("h4", 200)), NoAssignments, failures);
        Assert.Equal("h4", plan.NewAssignments.Single().TargetHostId);
    }

    [Theory]
    [InlineData(true, true, true, false, HaHostState.Connected)]
    [InlineData(false, true, true, false, HaHostState.Partitioned)]
    [InlineData(false, true, true, true, HaHostState.Isolated)]
    [InlineData(false, true, false, false, HaHostState.Failed)]
    [InlineData(false, false, false, false, HaHostState.Unknown)]
    public void Classify_LeaseAndHeartbeat_VsphereVerdict(bool lease, bool known, bool fresh, bool isolated, HaHostState expected)
    {
        var host = new HaHostView("h1", lease, 0, false, new HaHeartbeatView(known, fresh, new HashSet<Guid>(), isolated));
        Assert.Equal(expected, HaHostClassifier.Classify(host, "h9"));
        Assert.Equal(lease ? HaHostState.Master : expected, HaHostClassifier.Classify(host, "h1"));
    }

    [Fact]
    public void MustFence_AtFenceAfter_NotBefore()
    {
        var ok = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        Assert.False(HaFencing.MustFence(ok, ok + TimeSpan.FromMilliseconds(2999), TimeSpan.FromSeconds(3)));
        Assert.True(HaFencing.MustFence(ok, ok + TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)));
    }
}
