namespace Hyperion.Lab.Tests;

public sealed class LabOptionsTests
{
    private static readonly LabOptions Valid = new() { Directory = "/tmp/lab", HyperionCommand = ["hyperion"] };

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(Valid.Validate());
        Assert.Equal("lab", Valid.Name);
        Assert.Equal(2, Valid.Hosts);
        Assert.Equal("10.99.0.0/24", Valid.Subnet);
        Assert.Equal("auto", Valid.Accel);
    }

    [Theory]
    [InlineData("lab", true)]
    [InlineData("t1a2b3c", true)]
    [InlineData("t1a2b3c4", false)]
    [InlineData("1lab", false)]
    [InlineData("Lab", false)]
    [InlineData("la-b", false)]
    [InlineData("", false)]
    public void IsValidName_InterfaceNameBudget_AcceptsOnlyShortLowerCase(string name, bool valid)
    {
        Assert.Equal(valid, LabOptions.IsValidName(name));
    }

    [Theory]
    [InlineData("10.99.0.0/29", 1, "prefix")]
    [InlineData("10.99.0.0/28", 4, null)]
    [InlineData("10.99.0.0/28", 5, "no room for 5 hosts")]
    [InlineData("10.0.0.0/7", 2, "prefix")]
    public void Validate_SubnetTooSmall_Refused(string subnet, int hosts, string? fragment)
    {
        var errors = (Valid with { Subnet = subnet, Hosts = hosts }).Validate();

        if (fragment is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Contains(fragment, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_RelativeDirectoryUnknownAccelNoCommand_AllReported()
    {
        var errors = (Valid with { Directory = "lab", Accel = "xen", HyperionCommand = [], HostPort = 0 }).Validate();

        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData(true, null, null, "/var/lib/hyperion/labs/lab")]
    [InlineData(false, "/home/ann", null, "/home/ann/.local/share/hyperion/labs/lab")]
    [InlineData(false, "/home/ann", "/data", "/data/hyperion/labs/lab")]
    public void DefaultDirectory_RootOrUser_FollowsConventions(bool privileged, string? home, string? xdg, string expected)
    {
        Assert.Equal(expected, LabOptions.DefaultDirectory("lab", privileged, home, xdg));
    }

    [Fact]
    public void Validate_EtcdDefaults_ExplicitAndChecked()
    {
        Assert.True(Valid.Etcd);
        Assert.Equal("/usr/bin/etcd", Valid.EtcdCommand);
        Assert.Equal((2379, 2380), (Valid.EtcdClientPort, Valid.EtcdPeerPort));
        Assert.Equal((TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000)), (Valid.EtcdHeartbeatInterval, Valid.EtcdElectionTimeout));
        Assert.Contains((Valid with { EtcdElectionTimeout = TimeSpan.FromMilliseconds(400) }).Validate(), e => e.Contains("5 heartbeat", StringComparison.Ordinal));
        Assert.Contains((Valid with { EtcdClientPort = 8443 }).Validate(), e => e.Contains("etcd ports", StringComparison.Ordinal));
        Assert.Empty((Valid with { Etcd = false, EtcdClientPort = 8443 }).Validate());
    }
}
