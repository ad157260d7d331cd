using Hyperion.Lab.Planning;

namespace Hyperion.Lab.Tests.Planning;

/// <summary>Parses a subnet a test knows to be valid.</summary>
public static class Subnets
{
    public static Ipv4Subnet Parse(string text)
    {
        Assert.True(Ipv4Subnet.TryParse(text, out var subnet, out var error), error);
        return subnet;
    }
}
