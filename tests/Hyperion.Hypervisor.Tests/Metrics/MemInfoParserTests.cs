using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class MemInfoParserTests
{
    private const string MemInfo = """
        MemTotal:       16318480 kB
        MemFree:         1234567 kB
        MemAvailableX:         1 kB
        MemAvailable:    8123456 kB
        HugePages_Total:       0
        """;

    [Theory]
    [InlineData("MemTotal", 16318480L * 1024)]
    [InlineData("MemAvailable", 8123456L * 1024)]
    [InlineData("HugePages_Total", 0L)]
    public void ReadBytes_PresentKey_KiBAsBytes(string key, long expected) => Assert.Equal(expected, MemInfoParser.ReadBytes(MemInfo, key));

    [Fact]
    public void ReadBytes_AbsentKeyOrPrefixOnly_Null()
    {
        Assert.Null(MemInfoParser.ReadBytes(MemInfo, "SwapTotal"));
        Assert.Null(MemInfoParser.ReadBytes(MemInfo, "Mem"));
    }
}
