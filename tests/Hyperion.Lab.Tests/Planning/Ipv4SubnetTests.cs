using System.Net;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab.Tests.Planning;

public sealed class Ipv4SubnetTests
{
    [Theory]
    [InlineData("10.99.0.0/24", "10.99.0.0/24", 256UL)]
    [InlineData("10.213.7.0/28", "10.213.7.0/28", 16UL)]
    [InlineData("192.0.2.7", "192.0.2.7/32", 1UL)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", 4294967296UL)]
    public void TryParse_Network_RoundTripsAndCountsAddresses(string text, string expected, ulong size)
    {
        Assert.True(Ipv4Subnet.TryParse(text, out var subnet, out var error), error);

        Assert.Equal(expected, subnet.ToString());
        Assert.Equal(size, subnet.Size);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10.99.0.0", null)]
    [InlineData("10.99.0.0/33", "prefix")]
    [InlineData("10.99.0/24", "not an IPv4 network")]
    [InlineData("fd00::/32", "not an IPv4 network")]
    [InlineData("10.99.0.0/x", "prefix")]
    [InlineData("10.99.0.5/24", "did you mean 10.99.0.0/24?")]
    public void TryParse_Invalid_ExplainsWhy(string text, string? fragment)
    {
        var ok = Ipv4Subnet.TryParse(text, out _, out var error);

        if (fragment is null)
        {
            Assert.True(ok); // a bare address is a /32
            return;
        }

        Assert.False(ok);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_Offset_CountsFromTheNetworkAndStaysInside()
    {
        var subnet = Subnets.Parse("10.99.0.0/24");

        Assert.Equal(IPAddress.Parse("10.99.0.1"), subnet.Address(1));
        Assert.Equal(IPAddress.Parse("10.99.0.12"), subnet.Address(12));
        Assert.Throws<ArgumentOutOfRangeException>(() => subnet.Address(256));
        Assert.True(subnet.Contains(IPAddress.Parse("10.99.0.255")));
        Assert.False(subnet.Contains(IPAddress.Parse("10.99.1.0")));
        Assert.False(subnet.Contains(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("10.99.0.0/24", "10.99.0.0/24", true)]
    [InlineData("10.99.0.0/24", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/8", "10.99.0.128/25", true)]
    [InlineData("10.99.0.0/24", "10.99.1.0/24", false)]
    [InlineData("10.99.0.0/24", "192.0.2.0/24", false)]
    [InlineData("10.99.0.0/24", "10.99.0.7", true)]
    public void Overlaps_EitherContainsTheOther_IsSymmetric(string a, string b, bool expected)
    {
        var first = Subnets.Parse(a);
        var second = Subnets.Parse(b);

        Assert.Equal(expected, first.Overlaps(second));
        Assert.Equal(expected, second.Overlaps(first));
    }
}
