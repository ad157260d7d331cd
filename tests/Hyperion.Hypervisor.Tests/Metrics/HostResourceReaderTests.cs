using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class HostResourceReaderTests
{
    [Fact]
    public void Read_ThisMachine_PlausibleCounters()
    {
        var first = new HostResourceReader().Read();
        var second = new HostResourceReader().Read();

        Assert.True(first.Cpu.Total > 0 && first.Cpu.Busy <= first.Cpu.Total);
        Assert.True(first.MemoryTotalBytes > 64L * 1024 * 1024);
        Assert.InRange(first.MemoryUsedBytes, 1, first.MemoryTotalBytes);
        Assert.True(second.Cpu.Total >= first.Cpu.Total);
        Assert.True(second.DiskReadBytes >= first.DiskReadBytes && second.NetReceivedBytes >= first.NetReceivedBytes);
    }
}
