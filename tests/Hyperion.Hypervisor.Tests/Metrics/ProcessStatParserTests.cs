using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class ProcessStatParserTests
{
    [Fact]
    public void ParseCpuTicks_CommandWithSpacesAndParentheses_UtimePlusStime()
    {
        // utime 1500 (field 14) and stime 250 (field 15); the name "qemu (x) y" must not shift the fields.
        const string stat = "4242 (qemu (x) y) S 1 4242 4242 0 -1 4194368 1000 0 0 0 1500 250 0 0 20 0 5 0 12345 1000000 2000 18446744073709551615";

        Assert.Equal(1750UL, ProcessStatParser.ParseCpuTicks(stat));
    }

    [Fact]
    public void ParseCpuTicks_NotAStatLine_Throws() =>
        Assert.Throws<FormatException>(() => ProcessStatParser.ParseCpuTicks("garbage"));

    [Fact]
    public void ParseResidentBytes_StatusText_VmRssInBytes()
    {
        const string status = """
            Name:	qemu-system-x86
            VmPeak:	 1234567 kB
            VmRSS:	  204800 kB
            RssAnon:	  150000 kB
            """;

        Assert.Equal(204800L * 1024, ProcessStatParser.ParseResidentBytes(status));
    }

    [Fact]
    public void ParseResidentBytes_ZombieWithoutVmRss_Zero() =>
        Assert.Equal(0, ProcessStatParser.ParseResidentBytes("Name:\tqemu\nState:\tZ (zombie)\n"));

    [Fact]
    public void ReadCpuTime_ThisProcess_PositiveAndGrowsWithWork()
    {
        var before = ProcessResourceReader.ReadCpuTime(Environment.ProcessId);
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (spin.ElapsedMilliseconds < 200)
        {
            Thread.SpinWait(1000);
        }

        var after = ProcessResourceReader.ReadCpuTime(Environment.ProcessId);

        Assert.True(after > before, $"CPU time {before} → {after} after 200 ms of spinning");
        Assert.True(ProcessResourceReader.ReadResidentBytes(Environment.ProcessId) > 1024 * 1024);
    }
}
