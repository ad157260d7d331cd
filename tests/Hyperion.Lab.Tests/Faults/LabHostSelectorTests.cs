using Hyperion.Lab.Faults;

namespace Hyperion.Lab.Tests.Faults;

public sealed class LabHostSelectorTests
{
    [Theory]
    [InlineData("host-2", 2)]
    [InlineData("2", 2)]
    [InlineData(" host-1 ", 1)]
    public void Find_NameOrNumber_TheHost(string text, int index)
    {
        Assert.Equal(index, LabHostSelector.Find(LabFaultTests.Sample("/l", 2), text).Index);
    }

    [Theory]
    [InlineData("host-0")]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("host-")]
    [InlineData("")]
    public void Find_NoSuchHost_LabException(string text)
    {
        Assert.Throws<LabException>(() => LabHostSelector.Find(LabFaultTests.Sample("/l", 2), text));
    }

    [Fact]
    public void Parse_KindNames_RoundTrip()
    {
        Assert.All(LabFaultKinds.Names, n => Assert.Equal(n, LabFaultKinds.Name(LabFaultKinds.Parse(n))));
        Assert.Throws<LabException>(() => LabFaultKinds.Parse("reboot"));
    }
}
