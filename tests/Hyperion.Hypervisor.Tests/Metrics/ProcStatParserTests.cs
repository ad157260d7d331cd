using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class ProcStatParserTests
{
    [Fact]
    public void ParseCpu_AggregateLine_BusyExcludesIdleAndIowaitGuestNotCountedTwice()
    {
        const string stat = """
            cpu  741106 10 123685 798466 2508 5 1098 16908 57 3
            cpu0 358176 0 62116 412344 502 0 412 8402 25 0
            intr 1234 0 0
            ctxt 99
            """;

        var cpu = ProcStatParser.ParseCpu(stat);

        // user nice system idle iowait irq softirq steal; guest (57, 3) is part of user/nice already.
        const ulong total = 741106 + 10 + 123685 + 798466 + 2508 + 5 + 1098 + 16908;
        Assert.Equal(total, cpu.Total);
        Assert.Equal(total - 798466 - 2508, cpu.Busy);
    }

    [Fact]
    public void ParseCpu_OldKernelWithFourColumns_Parses()
    {
        var cpu = ProcStatParser.ParseCpu("cpu  10 0 5 85\n");

        Assert.Equal(new CpuTimes(15, 100), cpu);
    }

    [Fact]
    public void ParseCpu_NoAggregateLine_Throws() =>
        Assert.Throws<FormatException>(() => ProcStatParser.ParseCpu("cpu0 1 2 3 4\n"));
}
