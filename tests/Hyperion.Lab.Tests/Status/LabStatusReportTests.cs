using Hyperion.Lab.State;
using Hyperion.Lab.Status;

namespace Hyperion.Lab.Tests.Status;

public sealed class LabStatusReportTests
{
    private static readonly LabStatusReport Healthy = new(
        "lab",
        "/var/lib/hyperion/labs/lab",
        "10.99.0.0/24",
        LabPhase.Running,
        new LabProcessStatus("center", "https://10.99.0.1:9443", 100, true, null, null),
        [
            new LabProcessStatus("host-1", "https://10.99.0.11:8443", 101, true, "host-7", "connected"),
            new LabProcessStatus("host-2", "https://10.99.0.12:8443", 102, true, "host-8", "connected"),
        ],
        [new LabVmStatus("demo", "vm-9", "host-1", "poweredOn")],
        null);

    [Fact]
    public void Render_HealthyLab_ServersAndVmsAligned()
    {
        Assert.True(Healthy.IsHealthy);
        Assert.Equal(
            """
            lab 'lab' (running) in /var/lib/hyperion/labs/lab, subnet 10.99.0.0/24
            SERVER  URL                      PID  PROCESS  IN CENTER
            center  https://10.99.0.1:9443   100  running  -
            host-1  https://10.99.0.11:8443  101  running  connected (host-7)
            host-2  https://10.99.0.12:8443  102  running  connected (host-8)
            Center credentials and fingerprint: /var/lib/hyperion/labs/lab/lab.env (set -a; . /var/lib/hyperion/labs/lab/lab.env; set +a)

            VM    ID    HOST    POWER
            demo  vm-9  host-1  poweredOn

            """,
            Healthy.Render());
    }

    [Fact]
    public void IsHealthy_HostNotRespondingOrGoneOrCenterSilent_False()
    {
        Assert.False((Healthy with { Hosts = [Healthy.Hosts[0] with { ConnectionState = "notResponding" }] }).IsHealthy);
        Assert.False((Healthy with { Hosts = [Healthy.Hosts[0] with { Alive = false }] }).IsHealthy);
        Assert.False((Healthy with { Phase = LabPhase.Starting }).IsHealthy);
        var silent = Healthy with { Center = Healthy.Center with { Alive = false }, CenterError = "its process is gone", Vms = [] };
        Assert.False(silent.IsHealthy);
        Assert.Contains("the Center did not answer: its process is gone", silent.Render(), StringComparison.Ordinal);
        Assert.Contains("center  https://10.99.0.1:9443   100  gone     not answering", silent.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EtcdAndFaults_MemberTableAndFaultsColumnAndUnhealthy()
    {
        var report = Healthy with
        {
            Hosts = [Healthy.Hosts[0], Healthy.Hosts[1] with { Alive = false, Faults = ["power-off"] }],
            EtcdMembers =
            [
                new LabEtcdMemberStatus("host-1", "http://10.99.0.11:2379", 103, true, true),
                new LabEtcdMemberStatus("host-2", "http://10.99.0.12:2379", 104, false, null),
                new LabEtcdMemberStatus("witness", "http://10.99.0.1:2379", 105, true, true),
            ],
        };

        Assert.False(report.IsHealthy);
        Assert.Contains(
            """
            SERVER  URL                      PID  PROCESS  IN CENTER           FAULTS
            center  https://10.99.0.1:9443   100  running  -                   -
            host-1  https://10.99.0.11:8443  101  running  connected (host-7)  -
            host-2  https://10.99.0.12:8443  102  gone     connected (host-8)  power-off
            ETCD MEMBER  CLIENT URL              PID  PROCESS  HEALTH
            host-1       http://10.99.0.11:2379  103  running  healthy
            host-2       http://10.99.0.12:2379  104  gone     -
            witness      http://10.99.0.1:2379   105  running  healthy
            """,
            report.Render(),
            StringComparison.Ordinal);
        Assert.True((Healthy with { EtcdMembers = [report.EtcdMembers[0]] }).IsHealthy);
        Assert.False((Healthy with { EtcdMembers = [report.EtcdMembers[0] with { Healthy = false }] }).IsHealthy);
    }
}
