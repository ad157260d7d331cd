using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;
using Hyperion.Web.Ha;

namespace Hyperion.Web.Tests.Ha;

/// <summary>The cluster's vSphere HA view built from the Center's status: order, links, admission control, problems.</summary>
public sealed class ClusterHaViewTests
{
    private static readonly ClusterHaDto On = new(true, 1, HaIsolationResponses.PowerOff, true, ["shared"]);

    private static ClusterHaStatusDto Status(ClusterHaDto settings, string? master, IReadOnlyList<HaHostDto> hosts, IReadOnlyList<HaVmDto> vms, HaAdmissionDto? admission = null) => new()
    {
        ClusterId = "domain-c4",
        ClusterName = "cl",
        Settings = settings,
        MasterHostId = master,
        Hosts = hosts,
        Vms = vms,
        Admission = admission,
    };

    private static HaHostDto Host(string id, string name, string state, bool master = false) =>
        new(id, name, state, master, state is HaHostStates.Master or HaHostStates.Connected, 300, 4096, 1);

    private static HaVmDto Vm(string uuid, string name, string host, string priority, string protection = HaVmProtectionStates.Protected, string? message = null) =>
        new(uuid, name, host, host, priority, protection, 128, message);

    [Fact]
    public void From_MasterFirst_VmsInRestartOrder_LinkedWhenVisible()
    {
        var status = Status(On, "host-2",
            [Host("host-1", "10.0.0.1", HaHostStates.Connected), Host("host-2", "10.0.0.2", HaHostStates.Master, master: true)],
            [Vm("u-low", "a-low", "host-1", HaRestartPriorities.Low), Vm("u-high", "z-high", "host-2", HaRestartPriorities.High), Vm("u-med", "m-med", "host-1", HaRestartPriorities.Medium)],
            new HaAdmissionDto(1, 8192, 4096, 384, 3712));

        var view = ClusterHaView.From(status, new Dictionary<string, string> { ["u-high"] = "vm-9" });

        Assert.True(view.Enabled);
        Assert.Equal("host-2", view.Master?.HostId);
        Assert.Equal(["host-2", "host-1"], view.Hosts.Select(h => h.HostId));
        Assert.Equal("Master (primary)", view.Hosts[0].StateText);
        Assert.Equal("< 1 s ago", view.Hosts[0].Heartbeat);
        Assert.Equal(["z-high", "m-med", "a-low"], view.Vms.Select(v => v.Name));
        Assert.Equal(("vm-9", "10.0.0.2", "High"), (view.Vms[0].VmId, view.Vms[0].HostName, view.Vms[0].PriorityText));
        Assert.Null(view.Vms[1].VmId);
        Assert.Empty(view.Problems);
        Assert.Empty(view.Unplaced);
        Assert.Equal(50, view.Admission!.ReservedPercent);
        Assert.Equal(100.0 * (4096 + 384) / 8192, view.Admission.CommittedPercent);
    }

    [Fact]
    public void From_MasterKnownOnlyByTheStatusId_IsStillMarked()
    {
        var view = ClusterHaView.From(Status(On, "host-1", [Host("host-1", "a", HaHostStates.Master)], []), new Dictionary<string, string>());
        Assert.True(view.Hosts.Single().Master);
        Assert.Equal("a", view.Master?.Name);
    }

    [Fact]
    public void From_FailedHostsUnplacedVmsNoMasterAndFullAdmission_AreProblems()
    {
        var status = Status(On, null,
            [Host("host-1", "a", HaHostStates.Failed), Host("host-2", "b", HaHostStates.Partitioned), Host("host-3", "c", HaHostStates.Initializing)],
            [Vm("u1", "web", "host-1", HaRestartPriorities.High, HaVmProtectionStates.Unplaced, "no host has 128 MiB free"), Vm("u2", "db", "host-1", HaRestartPriorities.Low, HaVmProtectionStates.Restarting)],
            new HaAdmissionDto(1, 4096, 4096, 128, 0));

        var view = ClusterHaView.From(status, new Dictionary<string, string>());

        Assert.Null(view.Master);
        Assert.Equal(["web"], view.Unplaced.Select(v => v.Name));
        Assert.Equal("Not placed", view.Unplaced[0].ProtectionText);
        Assert.Collection(
            view.Problems,
            p => Assert.StartsWith("No master host is elected", p, StringComparison.Ordinal),
            p => Assert.Equal("Host a is failed.", p),
            p => Assert.Equal("Host b is partitioned.", p),
            p => Assert.StartsWith("1 VM(s) could not be placed", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Admission control leaves no memory", p, StringComparison.Ordinal));
    }

    [Fact]
    public void From_HaOff_HasNoProblems()
    {
        var off = new ClusterHaDto(false, 1, HaIsolationResponses.PowerOff, true, []);
        var view = ClusterHaView.From(Status(off, null, [Host("host-1", "a", HaHostStates.Disabled)], []), new Dictionary<string, string>());
        Assert.False(view.Enabled);
        Assert.Empty(view.Problems);
        Assert.Null(view.Admission);
    }
}
