using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Web.Actions;
using Hyperion.Web.Components.Inventory;
using Hyperion.Web.Ha;
using Hyperion.Web.Inventory;
using MudBlazor;

namespace Hyperion.Web.Tests.Ha;

/// <summary>HA states in words and colours, the cluster's HA tab and the HA actions' rules, without a browser.</summary>
public sealed class HaDisplayTests
{
    [Theory]
    [InlineData(HaHostStates.Master, "Master (primary)", Color.Success)]
    [InlineData(HaHostStates.Connected, "Connected (secondary)", Color.Success)]
    [InlineData(HaHostStates.Initializing, "Initializing", Color.Info)]
    [InlineData(HaHostStates.Partitioned, "Partitioned", Color.Warning)]
    [InlineData(HaHostStates.Isolated, "Isolated", Color.Error)]
    [InlineData(HaHostStates.Failed, "Failed", Color.Error)]
    [InlineData(HaHostStates.Maintenance, "Maintenance mode", Color.Default)]
    [InlineData(HaHostStates.Disabled, "HA disabled", Color.Default)]
    [InlineData("something-new", "something-new", Color.Default)]
    public void HostState_HasVSphereWordsAndAColour(string state, string text, Color color) =>
        Assert.Equal((text, color), (HaDisplay.HostStateText(state), HaDisplay.HostStateColor(state)));

    [Theory]
    [InlineData(HaVmProtectionStates.Protected, "Protected", Color.Success)]
    [InlineData(HaVmProtectionStates.Restarting, "Restarting", Color.Info)]
    [InlineData(HaVmProtectionStates.Waiting, "Waiting for its host", Color.Info)]
    [InlineData(HaVmProtectionStates.RunningOnIsolatedHost, "Running on an isolated host", Color.Warning)]
    [InlineData(HaVmProtectionStates.Unplaced, "Not placed", Color.Error)]
    [InlineData(null, "Unprotected", Color.Default)]
    public void Protection_HasWordsAndAColour(string? protection, string text, Color color) =>
        Assert.Equal((text, color), (HaDisplay.ProtectionText(protection), HaDisplay.ProtectionColor(protection)));

    [Fact]
    public void PrioritiesIsolationResponsesAndHeartbeatAges_Read()
    {
        Assert.Equal(["High", "Medium", "Low", "Disabled (not protected)"], HaRestartPriorities.All.Select(HaDisplay.PriorityText));
        Assert.Equal([0, 1, 2, 3], HaRestartPriorities.All.Select(HaDisplay.PriorityRank));
        Assert.Equal(["Power off and restart VMs", "Shut down and restart VMs", "Leave powered on"], HaIsolationResponses.All.Select(HaDisplay.IsolationResponseText));
        Assert.Equal(["not seen", "< 1 s ago", "2.5 s ago", "12 s ago"], new long?[] { null, 400, 2500, 12_000 }.Select(HaDisplay.HeartbeatAge));
    }

    [Fact]
    public void Settings_OneLineOnTheClusterSummary()
    {
        Assert.Equal("off", HaDisplay.Settings(null));
        Assert.Equal("off", HaDisplay.Settings(new ClusterHaDto(false, 1, HaIsolationResponses.PowerOff, true, [])));
        Assert.Equal(
            "on; 1 host failure(s) tolerated, isolation response leave-on, VM monitoring off, heartbeat datastores a, b",
            HaDisplay.Settings(new ClusterHaDto(true, 1, HaIsolationResponses.LeaveOn, false, ["a", "b"])));
    }

    [Fact]
    public void ClusterPage_HasAVSphereHaTab_OtherContainersDoNot()
    {
        var cluster = ObjectTabs.For(new ObjectHeader("domain-c4", InventoryObjectKind.Cluster, "cl", null));
        Assert.Equal(["summary", "hosts", "vms", "ha", "tasks", "permissions"], cluster.Select(t => t.Key));
        Assert.Equal("vSphere HA", cluster.Single(t => t.Key == ObjectTabs.Ha).Title);
        Assert.DoesNotContain(ObjectTabs.For(new ObjectHeader("datacenter-2", InventoryObjectKind.Datacenter, "dc", null)), t => t.Key == ObjectTabs.Ha);
    }

    [Fact]
    public void EditVSphereHa_NeedsEditCluster_AndSaysSoOtherwise()
    {
        var all = new HashSet<string>(Privileges.All);
        var cluster = new ActionTarget("domain-c4", InventoryObjectKind.Cluster, "cl", all) { DatacenterId = "datacenter-2" };
        var edit = ActionRules.For(cluster).Single(a => a.Action == ObjectAction.EditClusterHa);
        Assert.Equal((true, "action-edit-ha", "Edit vSphere HA…"), (edit.Enabled, edit.ElementId, edit.Label));
        Assert.Equal(Privileges.HostEditCluster, ActionRules.Privilege(ObjectAction.EditClusterHa));

        var viewer = cluster with { Privileges = new HashSet<string> { Privileges.SystemView, Privileges.SystemRead } };
        Assert.Equal("You lack Host.Inventory.EditCluster on cl", ActionRules.For(viewer).Single(a => a.Action == ObjectAction.EditClusterHa).Reason);
    }

    [Fact]
    public void EditHaOverrides_InAnyPowerState_NeedsReconfigureAndAConnectedHost()
    {
        var all = new HashSet<string>(Privileges.All);
        var running = new ActionTarget("vm-7", InventoryObjectKind.Vm, "web-1", all)
        {
            PowerState = Domain.Vms.VmPowerState.PoweredOn,
            HostName = "esx-1",
            HostConnection = HostConnectionState.Connected,
        };
        Assert.True(ActionRules.For(running).Single(a => a.Action == ObjectAction.EditVmHa).Enabled);
        Assert.Equal("action-edit-vm-ha", ActionNames.ElementId(ObjectAction.EditVmHa));
        Assert.Equal(
            "You lack VirtualMachine.Config.Settings on web-1",
            ActionRules.For(running with { Privileges = new HashSet<string> { Privileges.SystemView } }).Single(a => a.Action == ObjectAction.EditVmHa).Reason);
        Assert.Equal(
            "its host esx-1 is not responding: reconnect it first",
            ActionRules.For(running with { HostConnection = HostConnectionState.NotResponding }).Single(a => a.Action == ObjectAction.EditVmHa).Reason);
    }
}
