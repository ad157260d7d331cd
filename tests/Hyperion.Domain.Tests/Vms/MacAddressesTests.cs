using Hyperion.Domain.Vms;

namespace Hyperion.Domain.Tests.Vms;

public sealed class MacAddressesTests
{
    [Fact]
    public void FromRandom_ThreeBytes_FormatsLowerCaseWithQemuPrefix()
    {
        Assert.Equal("52:54:00:ab:01:ff", MacAddresses.FromRandom([0xab, 0x01, 0xff]));
    }

    [Fact]
    public void FromRandom_MoreThanThreeBytes_UsesFirstThree()
    {
        Assert.Equal("52:54:00:00:00:01", MacAddresses.FromRandom([0x00, 0x00, 0x01, 0x99]));
    }

    [Fact]
    public void FromRandom_FewerThanThreeBytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => MacAddresses.FromRandom([1, 2]));
    }

    [Fact]
    public void FromRandom_AnyBytes_IsValid()
    {
        var random = new Random(1234);
        var bytes = new byte[3];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(bytes);
            var mac = MacAddresses.FromRandom(bytes);
            Assert.True(MacAddresses.IsValid(mac), mac);
        }
    }

    [Theory]
    [InlineData("52:54:00:12:34:56")]
    [InlineData("52:54:00:AB:cd:Ef")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("02:00:00:00:00:01")]
    [InlineData("fe:ff:ff:ff:ff:ff")]
    public void IsValid_UnicastMac_ReturnsTrue(string mac)
    {
        Assert.True(MacAddresses.IsValid(mac));
    }

    [Theory]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("33:33:00:00:00:01")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("53:54:00:12:34:56")]
    public void IsValid_MulticastBitSet_ReturnsFalse(string mac)
    {
        Assert.False(MacAddresses.IsValid(mac));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("52:54:00:12:34")]
    [InlineData("52:54:00:12:34:5")]
    [InlineData("52:54:00:12:34:567")]
    [InlineData("52:54:00:12:34:56 ")]
    [InlineData("52-54-00-12-34-56")]
    [InlineData("52:54:00:12:34:5g")]
    [InlineData("5254:00:12:34:566")]
    [InlineData("525400123456")]
    [InlineData("52:54:00:12:34:-6")]
    [InlineData("52:54:00:12:34:+6")]
    [InlineData("\uff15\uff12:54:00:12:34:56")]
    public void IsValid_Malformed_ReturnsFalse(string? mac)
    {
        Assert.False(MacAddresses.IsValid(mac));
    }
}
