using Hyperion.Domain.Vms;

namespace Hyperion.Domain.Tests.Vms;

public sealed class VmIdTests
{
    [Theory]
    [InlineData("vm-1")]
    [InlineData("vm-0")]
    [InlineData("vm-42")]
    [InlineData("vm-9223372036854775807")]
    public void TryParse_WellFormed_ReturnsId(string text)
    {
        Assert.True(VmId.TryParse(text, out var id));
        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vm-")]
    [InlineData("vm")]
    [InlineData("VM-1")]
    [InlineData("vm_1")]
    [InlineData("vm-1a")]
    [InlineData("vm-a1")]
    [InlineData("vm--1")]
    [InlineData("vm-+1")]
    [InlineData("vm- 1")]
    [InlineData("vm-1 ")]
    [InlineData(" vm-1")]
    [InlineData("vm-1.0")]
    [InlineData("vm-1,000")]
    [InlineData("vm-9223372036854775808")]
    [InlineData("host-1")]
    [InlineData("vm-\u0661")]
    public void TryParse_Malformed_ReturnsFalseAndDefault(string? text)
    {
        Assert.False(VmId.TryParse(text, out var id));
        Assert.Equal(default, id);
    }

    [Fact]
    public void FromNumber_Number_FormatsVmDash()
    {
        Assert.Equal(new VmId("vm-7"), VmId.FromNumber(7));
    }

    [Fact]
    public void FromNumber_RoundTripsThroughTryParse()
    {
        var id = VmId.FromNumber(123_456);

        Assert.True(VmId.TryParse(id.Value, out var parsed));
        Assert.Equal(id, parsed);
    }
}
