using Hyperion.Lab.Etcd;
using Hyperion.Lab.Planning;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Tests.Etcd;

public sealed class EtcdCommandLineTests
{
    private static readonly LabEtcdState Cluster = LabEtcdState.From(
        LabPlan.Create(new LabOptions { Directory = "/l", HyperionCommand = ["hyperion"] }).Etcd!,
        "/usr/bin/etcd",
        "hyperion-lab-lab-0123");

    [Fact]
    public void Build_HostMemberNewCluster_InItsNamespaceWithEveryFlag()
    {
        var argv = EtcdCommandLine.Build(Cluster, Cluster.ForHost(2)!, newCluster: true);

        Assert.Equal(
            "ip netns exec hyplab-2 /usr/bin/etcd --name host-2 --data-dir /l/etcd/host-2 " +
            "--listen-client-urls http://10.99.0.12:2379 --advertise-client-urls http://10.99.0.12:2379 " +
            "--listen-peer-urls http://10.99.0.12:2380 --initial-advertise-peer-urls http://10.99.0.12:2380 " +
            "--initial-cluster host-1=http://10.99.0.11:2380,host-2=http://10.99.0.12:2380,witness=http://10.99.0.1:2380 " +
            "--initial-cluster-state new --initial-cluster-token hyperion-lab-lab-0123 " +
            "--heartbeat-interval 100 --election-timeout 1000 --logger zap",
            string.Join(' ', argv));
    }

    [Fact]
    public void Build_WitnessRestart_RootNamespaceExistingCluster()
    {
        var argv = EtcdCommandLine.Build(Cluster, Cluster.Members.Single(m => m.Name == "witness"), newCluster: false);

        Assert.Equal("/usr/bin/etcd", argv[0]);
        Assert.Equal("existing", argv[argv.ToList().IndexOf("--initial-cluster-state") + 1]);
        Assert.Contains("http://10.99.0.1:2379", argv);
        Assert.Equal("/l/logs/etcd-witness.log", Cluster.Members.Single(m => m.Name == "witness").Log);
    }

    [Fact]
    public void Endpoints_Cluster_EveryClientUrl()
    {
        Assert.Equal("http://10.99.0.11:2379,http://10.99.0.12:2379,http://10.99.0.1:2379", Cluster.Endpoints);
    }
}
