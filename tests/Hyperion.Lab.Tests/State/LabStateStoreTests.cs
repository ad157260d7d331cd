using Hyperion.Lab.Planning;
using Hyperion.Lab.State;

namespace Hyperion.Lab.Tests.State;

public sealed class LabStateStoreTests
{
    [Fact]
    public void Load_NoStateFile_Null()
    {
        using var dir = new TempDirectory();

        Assert.Null(LabStateStore.Load(dir.Path));
        Assert.Null(LabStateStore.Load(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void Save_FullState_LoadsBackEqualAndOwnerOnly()
    {
        using var dir = new TempDirectory();
        var state = Sample(dir.Path) with
        {
            Phase = LabPhase.Running,
            Bridge = "hyplab-br",
            Namespaces = ["hyplab-1", "hyplab-2"],
            Links = ["hyplab-v1", "hyplab-v2"],
            Processes = [new LabProcessRecord("center", 4242, 123456789UL, "/x/logs/center.log")],
            DemoVm = "demo",
        };

        LabStateStore.Save(state);
        var loaded = LabStateStore.Load(dir.Path)!;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LabPaths.StateFile(dir.Path)));
        Assert.Equal(state.Name, loaded.Name);
        Assert.Equal(LabPhase.Running, loaded.Phase);
        Assert.Equal(state.Namespaces, loaded.Namespaces);
        Assert.Equal(state.Links, loaded.Links);
        Assert.Equal(state.Processes, loaded.Processes);
        Assert.Equal(state.Center, loaded.Center);
        Assert.Equal(state.Hosts, loaded.Hosts);
        Assert.Contains("\"phase\": \"running\"", File.ReadAllText(LabPaths.StateFile(dir.Path)), StringComparison.Ordinal);
        Assert.False(File.Exists(LabPaths.StateFile(dir.Path) + ".tmp"));
    }

    [Fact]
    public void Save_EtcdAndFaults_LoadsBackEqual()
    {
        using var dir = new TempDirectory();
        var etcd = LabEtcdState.From(LabPlan.Create(new LabOptions { Directory = dir.Path, HyperionCommand = ["hyperion"] }).Etcd!, "/usr/bin/etcd", "tok");
        var sample = Sample(dir.Path);
        var host = sample.Hosts[1] with
        {
            AgentCommand = ["ip", "netns", "exec", "hyplab-2", "hyperion", "host", "serve", "--etcd", "http://10.99.0.12:2379,http://10.99.0.11:2379"],
            EtcdEndpoints = ["http://10.99.0.12:2379", "http://10.99.0.11:2379", "http://10.99.0.1:2379"],
            PoweredOff = true,
            Isolated = true,
            PartitionRoutes = [new LabBlackholeRoute("hyplab-2", "10.99.0.11/32"), new LabBlackholeRoute("hyplab-1", "10.99.0.12/32")],
        };
        var state = sample.WithHost(host) with { Etcd = etcd };

        LabStateStore.Save(state);
        var loaded = LabStateStore.Load(dir.Path)!;

        Assert.Equal((etcd.Command, etcd.Token, etcd.InitialCluster, etcd.HeartbeatIntervalMs, etcd.ElectionTimeoutMs), (loaded.Etcd!.Command, loaded.Etcd.Token, loaded.Etcd.InitialCluster, loaded.Etcd.HeartbeatIntervalMs, loaded.Etcd.ElectionTimeoutMs));
        Assert.Equal(etcd.Members, loaded.Etcd.Members);
        var back = loaded.FindHost(2)!;
        Assert.Equal(host.AgentCommand, back.AgentCommand);
        Assert.Equal(host.EtcdEndpoints, back.EtcdEndpoints);
        Assert.Equal(host.PartitionRoutes, back.PartitionRoutes);
        Assert.Equal(["power-off", "isolate", "partition"], back.Faults);
        Assert.DoesNotContain("\"faults\"", File.ReadAllText(LabPaths.StateFile(dir.Path)), StringComparison.Ordinal);
        Assert.Empty(loaded.FindHost(1)!.Faults);
    }

    [Fact]
    public void Load_Garbage_ThrowsLabException()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(LabPaths.StateFile(dir.Path), "{not json");

        var ex = Assert.Throws<LabException>(() => LabStateStore.Load(dir.Path));

        Assert.Contains("not a lab state file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorder_EveryUpdate_IsOnDiskAtOnce()
    {
        using var dir = new TempDirectory();
        var recorder = new LabStateRecorder(Sample(dir.Path));

        recorder.Update(s => s with { Bridge = "hyplab-br" });
        recorder.Update(s => s.WithProcess(new LabProcessRecord("host-1", 10, 1, "a")));
        recorder.Update(s => s.WithProcess(new LabProcessRecord("host-1", 11, 2, "b")));
        recorder.Update(s => s.WithHost(s.Hosts[0] with { CenterHostId = "host-7" }));

        var loaded = LabStateStore.Load(dir.Path)!;
        Assert.Equal("hyplab-br", loaded.Bridge);
        Assert.Equal(11, Assert.Single(loaded.Processes).Pid);
        Assert.Equal("host-7", loaded.Hosts.Single(h => h.Index == 1).CenterHostId);
        Assert.Equal(2, loaded.Hosts.Count);
    }

    private static LabState Sample(string directory) => new()
    {
        Name = "lab",
        Directory = directory,
        Subnet = "10.99.0.0/24",
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Center = new LabCenterState("https://10.99.0.1:9443", directory + "/center", "administrator", "pw") { Fingerprint = "AB:CD" },
        Hosts =
        [
            new LabHostState(1, "hyplab-1", "https://10.99.0.11:8443", directory + "/host-1", "r1") { Fingerprint = "01:02" },
            new LabHostState(2, "hyplab-2", "https://10.99.0.12:8443", directory + "/host-2", "r2"),
        ],
    };
}
