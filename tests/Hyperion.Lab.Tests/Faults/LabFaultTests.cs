using Hyperion.Hypervisor.Processes;
using Hyperion.Lab.Faults;
using Hyperion.Lab.Processes;
using Hyperion.Lab.State;
using Hyperion.Lab.Tests.Networking;

namespace Hyperion.Lab.Tests.Faults;

public sealed class LabFaultTests
{
    [Fact]
    public async Task Isolate_ThenHeal_HostVethDownThenUpInItsNamespaceAndRecorded()
    {
        using var dir = new TempDirectory();
        LabStateStore.Save(Sample(dir.Path, hosts: 2));
        var runner = new RecordingRunner();
        var output = new StringWriter();

        await Fault(runner, output).RunAsync(dir.Path, "host-2", LabFaultKind.Isolate, CancellationToken.None);
        Assert.True(LabStateStore.Load(dir.Path)!.FindHost(2)!.Isolated);
        Assert.Equal(["isolate"], LabStateStore.Load(dir.Path)!.FindHost(2)!.Faults);
        await Fault(runner, output).RunAsync(dir.Path, "2", LabFaultKind.Heal, CancellationToken.None);

        Assert.Equal(["ip -n hyplab-2 link set hyplab-p2 down", "ip -n hyplab-2 link set hyplab-p2 up"], runner.Commands);
        Assert.Empty(LabStateStore.Load(dir.Path)!.FindHost(2)!.Faults);
        Assert.Contains("isolated host-2: link hyplab-p2 down in namespace hyplab-2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("healed host-2: link hyplab-p2 up in hyplab-2", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partition_ThreeHosts_BlackholesBothWaysNeverTheBridgeAndHealDeletesThem()
    {
        using var dir = new TempDirectory();
        LabStateStore.Save(Sample(dir.Path, hosts: 3));
        var runner = new RecordingRunner();

        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.Partition, CancellationToken.None);
        var recorded = LabStateStore.Load(dir.Path)!.FindHost(2)!.PartitionRoutes!;
        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.Heal, CancellationToken.None);
        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.Heal, CancellationToken.None);

        Assert.Equal(
            [
                "ip -n hyplab-2 route replace blackhole 10.99.0.11/32",
                "ip -n hyplab-2 route replace blackhole 10.99.0.13/32",
                "ip -n hyplab-1 route replace blackhole 10.99.0.12/32",
                "ip -n hyplab-3 route replace blackhole 10.99.0.12/32",
                "ip -n hyplab-2 route del blackhole 10.99.0.11/32",
                "ip -n hyplab-2 route del blackhole 10.99.0.13/32",
                "ip -n hyplab-1 route del blackhole 10.99.0.12/32",
                "ip -n hyplab-3 route del blackhole 10.99.0.12/32",
            ],
            runner.Commands);
        Assert.Equal(4, recorded.Count);
        Assert.Null(LabStateStore.Load(dir.Path)!.FindHost(2)!.PartitionRoutes);
    }

    [Fact]
    public async Task Heal_RouteAnotherPartitionStillNeeds_Kept()
    {
        using var dir = new TempDirectory();
        LabStateStore.Save(Sample(dir.Path, hosts: 2));
        var runner = new RecordingRunner();

        await Fault(runner).RunAsync(dir.Path, "host-1", LabFaultKind.Partition, CancellationToken.None);
        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.Partition, CancellationToken.None);
        runner.Commands.Clear();
        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.Heal, CancellationToken.None);
        Assert.Empty(runner.Commands);
        await Fault(runner).RunAsync(dir.Path, "host-1", LabFaultKind.Heal, CancellationToken.None);

        Assert.Equal(["ip -n hyplab-1 route del blackhole 10.99.0.12/32", "ip -n hyplab-2 route del blackhole 10.99.0.11/32"], runner.Commands);
    }

    [Fact]
    public async Task Heal_RouteAlreadyGone_NotAnError()
    {
        using var dir = new TempDirectory();
        var state = Sample(dir.Path, hosts: 2);
        LabStateStore.Save(state.WithHost(state.FindHost(1)! with { PartitionRoutes = [new LabBlackholeRoute("hyplab-1", "10.99.0.12/32")] }));
        var runner = new RecordingRunner();
        runner.Answers["ip -n hyplab-1 route del blackhole 10.99.0.12/32"] = new ProcessResult(2, string.Empty, "RTNETLINK answers: No such process\n", TimeSpan.Zero);

        await Fault(runner).RunAsync(dir.Path, "host-1", LabFaultKind.Heal, CancellationToken.None);

        Assert.Empty(LabStateStore.Load(dir.Path)!.FindHost(1)!.Faults);
    }

    [Theory]
    [InlineData("host-3", LabFaultKind.Isolate, "has no host-3 (it has host-1, host-2)")]
    [InlineData("hostx", LabFaultKind.Isolate, "'hostx' is not a host")]
    [InlineData("host-1", LabFaultKind.Isolate, "host-1 is powered off already")]
    [InlineData("host-1", LabFaultKind.PowerOff, "host-1 is powered off already")]
    [InlineData("host-2", LabFaultKind.AgentCrash, "the agent of host-2 is not running")]
    public async Task Run_DoesNotApply_LabExceptionAndNothingRun(string host, LabFaultKind kind, string message)
    {
        using var dir = new TempDirectory();
        var state = Sample(dir.Path, hosts: 2);
        LabStateStore.Save(state.WithHost(state.FindHost(1)! with { PoweredOff = true }));
        var runner = new RecordingRunner();

        var ex = await Assert.ThrowsAsync<LabException>(() => Fault(runner).RunAsync(dir.Path, host, kind, CancellationToken.None));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Commands);
    }

    [Fact]
    public async Task Run_NoLab_LabException()
    {
        using var dir = new TempDirectory();

        var ex = await Assert.ThrowsAsync<LabException>(() => Fault(new RecordingRunner()).RunAsync(dir.Path, "host-1", LabFaultKind.Isolate, CancellationToken.None));

        Assert.Contains("no lab in", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOff_EmptyNamespace_AsksIpForItsPidsAndRecordsPoweredOff()
    {
        using var dir = new TempDirectory();
        LabStateStore.Save(Sample(dir.Path, hosts: 2));
        var runner = new RecordingRunner();

        await Fault(runner).RunAsync(dir.Path, "host-2", LabFaultKind.PowerOff, CancellationToken.None);

        Assert.Equal(["ip netns pids hyplab-2"], runner.Commands);
        Assert.Equal(["power-off"], LabStateStore.Load(dir.Path)!.FindHost(2)!.Faults);
    }

    [Fact]
    public async Task PowerOff_ProcessInNamespace_KilledBySigkill()
    {
        using var dir = new TempDirectory();
        LabStateStore.Save(Sample(dir.Path, hosts: 2));
        var pid = new PosixSpawnLauncher().Start(new ProcessSpec("sleep", ["30"]), Path.Combine(dir.Path, "sleep.log"));
        var sleeper = LabProcessControl.Describe(pid, "sleep");
        var runner = new RecordingRunner();
        runner.Answers["ip netns pids hyplab-2"] = new ProcessResult(0, $"{pid}\n", string.Empty, TimeSpan.Zero);
        var output = new StringWriter();

        await Fault(runner, output).RunAsync(dir.Path, "host-2", LabFaultKind.PowerOff, CancellationToken.None);

        Assert.False(sleeper.IsAlive);
        Assert.Contains($"sleep (pid {pid})", output.ToString(), StringComparison.Ordinal);
    }

    private static LabFault Fault(RecordingRunner runner, TextWriter? output = null) =>
        new(new LabMachine(runner, new PosixSpawnLauncher(), TimeProvider.System), output ?? TextWriter.Null);

    internal static LabState Sample(string directory, int hosts) => new()
    {
        Name = "lab",
        Directory = directory,
        Subnet = "10.99.0.0/24",
        Phase = LabPhase.Running,
        Namespaces = [.. Enumerable.Range(1, hosts).Select(i => $"hyplab-{i}")],
        Hosts = [.. Enumerable.Range(1, hosts).Select(i => new LabHostState(i, $"hyplab-{i}", $"https://10.99.0.{10 + i}:8443", $"{directory}/host-{i}", $"r{i}"))],
    };
}
