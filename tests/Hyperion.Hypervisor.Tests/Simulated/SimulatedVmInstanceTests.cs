using Hyperion.Hypervisor.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Hypervisor.Tests.Simulated;

public sealed class SimulatedVmInstanceTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task SampleAsync_TimeAdvances_PlausibleSimulatedLoad()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var vm = new SimulatedVmInstance(4_000_001, () => { }, cpus: 2, memoryMiB: 512, time);

        var first = await vm.SampleAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(20));
        var second = await vm.SampleAsync(Ct);

        Assert.True(second.Simulated);
        Assert.Equal(2, second.Vcpus);
        Assert.Equal(512L * 1024 * 1024, second.MemoryConfiguredBytes);
        Assert.InRange(second.MemoryConsumedBytes, 1, second.MemoryConfiguredBytes);
        var usage = (second.CpuTime - first.CpuTime) / (TimeSpan.FromSeconds(20) * 2);
        Assert.InRange(usage, 0.1, 0.4);
        Assert.True(second.DiskWriteBytes > first.DiskWriteBytes && second.NetReceivedBytes > first.NetReceivedBytes);
    }

    [Fact]
    public async Task SampleAsync_Paused_NoCpuUsed()
    {
        var time = new FakeTimeProvider();
        var vm = new SimulatedVmInstance(4_000_002, () => { }, cpus: 1, memoryMiB: 128, time);
        await vm.PauseAsync(Ct);
        var first = await vm.SampleAsync(Ct);

        time.Advance(TimeSpan.FromMinutes(1));
        var second = await vm.SampleAsync(Ct);

        Assert.Equal(first.CpuTime, second.CpuTime);
    }

    [Fact]
    public async Task SampleAsync_AfterExit_Throws()
    {
        var vm = new SimulatedVmInstance(4_000_003, () => { }, cpus: 1, memoryMiB: 128, new FakeTimeProvider());
        vm.Kill();

        await Assert.ThrowsAsync<IOException>(() => vm.SampleAsync(Ct));
    }
}
