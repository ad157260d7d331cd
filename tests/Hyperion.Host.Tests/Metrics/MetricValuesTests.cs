using Hyperion.Contracts.Metrics;
using Hyperion.Host.Metrics;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Host.Tests.Metrics;

public sealed class MetricValuesTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    [Fact]
    public void ForHost_TwoReadings_UsageAndRates()
    {
        var before = Host(busy: 1_000, total: 10_000, disk: (0, 0), net: (1_000, 2_000));
        var after = Host(busy: 1_500, total: 12_000, disk: (20 * 4096, 20 * 512), net: (1_000 + (20 * 100), 2_000 + (20 * 50)));

        var values = MetricValues.ForHost(before, after, Twenty);

        Assert.Equal(25, values[MetricCounters.CpuUsage]);
        Assert.Equal(25, values[MetricCounters.MemUsage]);
        Assert.Equal(1024L * 1024 * 1024, values[MetricCounters.MemConsumed]);
        Assert.Equal(4096, values[MetricCounters.DiskRead]);
        Assert.Equal(512, values[MetricCounters.DiskWrite]);
        Assert.Equal(100, values[MetricCounters.NetReceived]);
        Assert.Equal(50, values[MetricCounters.NetTransmitted]);
    }

    [Fact]
    public void ForHost_FirstReading_GaugesOnly()
    {
        var values = MetricValues.ForHost(null, Host(1, 2, (0, 0), (0, 0)), TimeSpan.Zero);

        Assert.Equal([MetricCounters.MemConsumed, MetricCounters.MemUsage], values.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForHost_CounterWentBackwards_RateLeftOut()
    {
        var values = MetricValues.ForHost(Host(10, 100, (500, 500), (0, 0)), Host(20, 200, (100, 600), (0, 0)), Twenty);

        Assert.False(values.ContainsKey(MetricCounters.DiskRead));
        Assert.Equal(5, values[MetricCounters.DiskWrite]);
    }

    [Fact]
    public void ForVm_TenCpuSecondsOnTwoVcpusInTwenty_TwentyFivePercent()
    {
        var before = Vm(TimeSpan.FromSeconds(100), vcpus: 2) with { DiskReadBytes = 0, DiskWriteBytes = 0, NetReceivedBytes = 0, NetTransmittedBytes = 0 };
        var after = Vm(TimeSpan.FromSeconds(110), vcpus: 2) with { DiskReadBytes = 20_000, DiskWriteBytes = 40_000, NetReceivedBytes = 2_000, NetTransmittedBytes = 4_000 };

        var values = MetricValues.ForVm(before, after, Twenty);

        Assert.Equal(25, values[MetricCounters.CpuUsage]);
        Assert.Equal(50, values[MetricCounters.MemUsage]);
        Assert.Equal(64L * 1024 * 1024, values[MetricCounters.MemConsumed]);
        Assert.Equal(1_000, values[MetricCounters.DiskRead]);
        Assert.Equal(2_000, values[MetricCounters.DiskWrite]);
        Assert.Equal(100, values[MetricCounters.NetReceived]);
        Assert.Equal(200, values[MetricCounters.NetTransmitted]);
    }

    [Fact]
    public void ForVm_QemuOverheadAboveCapacity_CappedAtHundred()
    {
        var values = MetricValues.ForVm(Vm(TimeSpan.Zero, 1), Vm(TimeSpan.FromSeconds(21), 1), Twenty);

        Assert.Equal(100, values[MetricCounters.CpuUsage]);
    }

    [Fact]
    public void ForVm_NoTapsNoMonitor_NetAndDiskLeftOut()
    {
        var values = MetricValues.ForVm(Vm(TimeSpan.Zero, 1), Vm(TimeSpan.FromSeconds(1), 1), Twenty);

        Assert.Equal([MetricCounters.CpuUsage, MetricCounters.MemConsumed, MetricCounters.MemUsage], values.Keys.Order(StringComparer.Ordinal));
    }

    private static HostResourceSample Host(ulong busy, ulong total, (ulong Read, ulong Write) disk, (ulong Rx, ulong Tx) net) => new()
    {
        Cpu = new CpuTimes(busy, total),
        MemoryTotalBytes = 4L * 1024 * 1024 * 1024,
        MemoryUsedBytes = 1L * 1024 * 1024 * 1024,
        DiskReadBytes = disk.Read,
        DiskWriteBytes = disk.Write,
        NetReceivedBytes = net.Rx,
        NetTransmittedBytes = net.Tx,
    };

    private static VmResourceSample Vm(TimeSpan cpu, int vcpus) => new()
    {
        CpuTime = cpu,
        Vcpus = vcpus,
        MemoryConsumedBytes = 64L * 1024 * 1024,
        MemoryConfiguredBytes = 128L * 1024 * 1024,
    };
}
