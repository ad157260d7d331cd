using System.Net;
using Hyperion.Lab.Planning;

namespace Hyperion.Lab.Tests.Planning;

public sealed class LabPlanTests
{
    private static LabOptions Options(string name = "lab", int hosts = 2, string subnet = LabOptions.DefaultSubnet) => new()
    {
        Name = name,
        Directory = "/var/lib/hyperion/labs/" + name,
        Hosts = hosts,
        Subnet = subnet,
        HyperionCommand = ["/usr/bin/dotnet", "/opt/hyperion/hyperion.dll"],
    };

    [Fact]
    public void Create_DefaultLab_NamesAndAddressesEverything()
    {
        var plan = LabPlan.Create(Options());

        Assert.Equal("hyplab-br", plan.Bridge);
        Assert.Equal("10.99.0.1/24", plan.BridgeCidr);
        Assert.Equal(new Uri("https://10.99.0.1:9443"), plan.CenterUrl);
        Assert.Equal("10.99.0.1:9443", plan.CenterListen);
        Assert.Collection(
            plan.Hosts,
            h =>
            {
                Assert.Equal("host-1", h.Name);
                Assert.Equal("hyplab-1", h.Namespace);
                Assert.Equal("hyplab-v1", h.HostVeth);
                Assert.Equal("hyplab-p1", h.PeerVeth);
                Assert.Equal(IPAddress.Parse("10.99.0.11"), h.Address);
                Assert.Equal("10.99.0.11:8443", h.Listen);
                Assert.Equal("10.99.0.11/24", plan.HostCidr(h));
                Assert.Equal("/var/lib/hyperion/labs/lab/host-1", h.DataDirectory);
                Assert.Equal("/var/lib/hyperion/labs/lab/logs/host-1.log", h.LogFile);
            },
            h =>
            {
                Assert.Equal("hyplab-2", h.Namespace);
                Assert.Equal(new Uri("https://10.99.0.12:8443"), h.Url);
            });
    }

    [Fact]
    public void Create_LongestNameAndMostHosts_InterfaceNamesFitLinuxLimit()
    {
        var plan = LabPlan.Create(Options(name: "abcdefg", hosts: LabOptions.MaxHosts));

        var names = plan.Hosts.SelectMany(h => new[] { h.HostVeth, h.PeerVeth }).Append(plan.Bridge);
        Assert.All(names, n => Assert.True(n.Length <= 15, $"{n} is longer than IFNAMSIZ-1"));
        Assert.Equal(plan.Hosts.Count, plan.Hosts.Select(h => h.HostVeth).Distinct().Count());
        Assert.Equal(IPAddress.Parse("10.99.0.74"), plan.Hosts[^1].Address);
    }

    [Fact]
    public void Create_TwoLabsWithDifferentNames_ShareNoInterfaceOrNamespace()
    {
        var a = LabPlan.Create(Options(name: "lab"));
        var b = LabPlan.Create(Options(name: "lab1"));

        IEnumerable<string> Names(LabPlan p) => p.Hosts.SelectMany(h => new[] { h.Namespace, h.HostVeth, h.PeerVeth }).Append(p.Bridge);
        Assert.Empty(Names(a).Intersect(Names(b)));
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsWithEveryProblem()
    {
        var ex = Assert.Throws<LabException>(() => LabPlan.Create(Options(name: "Bad_Name", hosts: 0, subnet: "10.99.0.1/24")));

        Assert.Contains("--name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--hosts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 10.99.0.0/24", ex.Message, StringComparison.Ordinal);
    }
}
