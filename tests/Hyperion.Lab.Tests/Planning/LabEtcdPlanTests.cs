using System.Net;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab.Tests.Planning;

public sealed class LabEtcdPlanTests
{
    private static LabOptions Options(int hosts, bool etcd = true) => new()
    {
        Directory = "/var/lib/hyperion/labs/lab",
        Hosts = hosts,
        HyperionCommand = ["hyperion"],
        Etcd = etcd,
    };

    [Fact]
    public void Create_TwoHosts_MemberPerHostInItsNamespacePlusWitnessOnTheBridge()
    {
        var etcd = LabPlan.Create(Options(2)).Etcd!;

        Assert.Collection(
            etcd.Members,
            m =>
            {
                Assert.Equal(("host-1", "hyplab-1", IPAddress.Parse("10.99.0.11")), (m.Name, m.Namespace, m.Address));
                Assert.Equal(new Uri("http://10.99.0.11:2379"), m.ClientUrl);
                Assert.Equal(new Uri("http://10.99.0.11:2380"), m.PeerUrl);
                Assert.Equal("/var/lib/hyperion/labs/lab/etcd/host-1", m.DataDirectory);
                Assert.Equal("/var/lib/hyperion/labs/lab/logs/etcd-host-1.log", m.LogFile);
                Assert.Equal("etcd-host-1", m.Role);
                Assert.False(m.IsWitness);
            },
            m => Assert.Equal(("host-2", "hyplab-2", IPAddress.Parse("10.99.0.12")), (m.Name, m.Namespace, m.Address)),
            m =>
            {
                Assert.Equal(("witness", null, IPAddress.Parse("10.99.0.1")), (m.Name, m.Namespace, m.Address));
                Assert.True(m.IsWitness);
                Assert.Equal("/var/lib/hyperion/labs/lab/etcd/witness", m.DataDirectory);
                Assert.Equal("/var/lib/hyperion/labs/lab/logs/etcd-witness.log", m.LogFile);
            });
        Assert.Equal("host-1=http://10.99.0.11:2380,host-2=http://10.99.0.12:2380,witness=http://10.99.0.1:2380", etcd.InitialCluster);
        Assert.Equal((100, 1000), (etcd.HeartbeatIntervalMs, etcd.ElectionTimeoutMs));
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(2, 3, true)]
    [InlineData(3, 3, false)]
    [InlineData(4, 5, true)]
    [InlineData(5, 5, false)]
    public void Create_HostCount_WitnessOnlyWhenEvenSoTheCountIsOdd(int hosts, int members, bool witness)
    {
        var etcd = LabPlan.Create(Options(hosts)).Etcd!;

        Assert.Equal(members, etcd.Members.Count);
        Assert.Equal(witness, etcd.Witness is not null);
        Assert.Equal(1, etcd.Members.Count % 2);
    }

    [Fact]
    public void EndpointsFor_EachHost_OwnMemberFirstThenOthersThenWitness()
    {
        var etcd = LabPlan.Create(Options(4)).Etcd!;

        Assert.Equal(
            ["http://10.99.0.13:2379", "http://10.99.0.11:2379", "http://10.99.0.12:2379", "http://10.99.0.14:2379", "http://10.99.0.1:2379"],
            etcd.EndpointsFor(3));
        Assert.Equal("http://10.99.0.11:2379", etcd.EndpointsFor(1)[0]);
    }

    [Fact]
    public void Create_NoEtcd_NoPlan()
    {
        Assert.Null(LabPlan.Create(Options(2, etcd: false)).Etcd);
    }
}
