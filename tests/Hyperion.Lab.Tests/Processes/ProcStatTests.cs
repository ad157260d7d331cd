using Hyperion.Lab.Processes;

namespace Hyperion.Lab.Tests.Processes;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_StatLine_ReadsStateParentAndStartTime()
    {
        var stat = ProcStat.Parse("20715 (cat) R 20710 20710 16374 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 858047 3133440 395 18446744073709551615");

        Assert.Equal(new ProcStat('R', 20710, 858047UL), stat);
    }

    [Fact]
    public void Parse_CommandWithSpacesAndParentheses_UsesTheLastParenthesis()
    {
        var stat = ProcStat.Parse("42 (qemu (x) y) Z 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0");

        Assert.Equal('Z', stat!.Value.State);
        Assert.True(stat.Value.IsZombie);
        Assert.Equal(777UL, stat.Value.StartTime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("42 (x) R 1 2")]
    [InlineData("42 no parenthesis")]
    public void Parse_Malformed_Null(string? line)
    {
        Assert.Null(ProcStat.Parse(line));
    }

    [Fact]
    public void Read_ThisProcess_IsAliveWithItsParent()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.False(stat.Value.IsZombie);
        Assert.True(stat.Value.StartTime > 0);
        Assert.True(LabProcessControl.Describe(Environment.ProcessId, "me").IsAlive);
        Assert.False(new ProcessTarget(Environment.ProcessId, stat.Value.StartTime + 1, "a recycled pid").IsAlive);
        Assert.Null(ProcStat.Read(0));
    }
}
