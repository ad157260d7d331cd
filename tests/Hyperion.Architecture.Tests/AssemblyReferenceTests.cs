using System.Reflection;

namespace Hyperion.Architecture.Tests;

/// <summary>The dependency rules of design.md §2, checked on the built assemblies' metadata references.</summary>
public sealed class AssemblyReferenceTests
{
    private static readonly Assembly Domain = typeof(Hyperion.Domain.Vms.VmId).Assembly;
    private static readonly Assembly Contracts = typeof(Hyperion.Contracts.JsonDefaults).Assembly;
    private static readonly Assembly Hypervisor = typeof(Hyperion.Hypervisor.Qemu.Launch.QemuArgvBuilder).Assembly;
    private static readonly Assembly Host = typeof(Hyperion.Host.HostAgent).Assembly;
    private static readonly Assembly Cli = typeof(Hyperion.Cli.CliApplication).Assembly;
    private static readonly Assembly Center = typeof(Hyperion.Center.Persistence.CenterDbContext).Assembly;
    private static readonly Assembly Server = typeof(Hyperion.Server.Problems.ProblemResults).Assembly;
    private static readonly Assembly Lab = typeof(Hyperion.Lab.LabUp).Assembly;
    private static readonly Assembly Web = typeof(Hyperion.Web.WebUi).Assembly;

    /// <summary>The BCL as Domain may use it: the System.* facades, netstandard/mscorlib, and Microsoft.Win32.Primitives.</summary>
    private static bool IsBcl(AssemblyName name) =>
        name.Name is "System" or "netstandard" or "mscorlib" or "Microsoft.Win32.Primitives" ||
        name.Name!.StartsWith("System.", StringComparison.Ordinal);

    private static IEnumerable<string> OurReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(n => n.Name!).Where(n => n == "Hyperion" || n == "hyperion" || n.StartsWith("Hyperion.", StringComparison.Ordinal));

    [Fact]
    public void Assemblies_PickedTypes_ComeFromTheExpectedAssemblies()
    {
        Assert.Equal(
            ["Hyperion.Domain", "Hyperion.Contracts", "Hyperion.Hypervisor", "Hyperion.Host", "Hyperion.Cli", "Hyperion.Center", "Hyperion.Server", "Hyperion.Lab", "Hyperion.Web"],
            new[] { Domain, Contracts, Hypervisor, Host, Cli, Center, Server, Lab, Web }.Select(a => a.GetName().Name));
    }

    [Fact]
    public void Domain_References_BclOnly()
    {
        var outside = Domain.GetReferencedAssemblies().Where(n => !IsBcl(n)).Select(n => n.Name).ToList();

        Assert.True(outside.Count == 0, $"Hyperion.Domain must reference the BCL only, but references: {string.Join(", ", outside)}");
        Assert.Empty(OurReferences(Domain));
    }

    [Fact]
    public void Contracts_References_NothingOfOurs()
    {
        Assert.Empty(OurReferences(Contracts));
    }

    [Fact]
    public void Hypervisor_References_OnlyDomainOfOurs()
    {
        AssertOurReferencesWithin(Hypervisor, "Hyperion.Domain");

        // Guards against a vacuous rule: the reference really is seen in metadata.
        Assert.Contains("Hyperion.Domain", OurReferences(Hypervisor));
    }

    [Fact]
    public void Host_References_OnlyDomainContractsHypervisorServerOfOurs()
    {
        AssertOurReferencesWithin(Host, "Hyperion.Domain", "Hyperion.Contracts", "Hyperion.Hypervisor", "Hyperion.Server");
    }

    [Fact]
    public void Server_References_OnlyDomainContractsOfOurs()
    {
        AssertOurReferencesWithin(Server, "Hyperion.Domain", "Hyperion.Contracts");
        Assert.Contains("Hyperion.Contracts", OurReferences(Server));
    }

    [Fact]
    public void Center_References_OnlyDomainContractsServerOfOurs()
    {
        AssertOurReferencesWithin(Center, "Hyperion.Domain", "Hyperion.Contracts", "Hyperion.Server");
        Assert.Contains("Hyperion.Domain", OurReferences(Center));
    }

    /// <summary>The web client calls the Center's application services in process (never hosts or the hypervisor).</summary>
    [Fact]
    public void Web_References_OnlyCenterDomainContractsOfOurs()
    {
        AssertOurReferencesWithin(Web, "Hyperion.Center", "Hyperion.Domain", "Hyperion.Contracts", "Hyperion.Server");
        Assert.Contains("Hyperion.Center", OurReferences(Web));
    }

    [Fact]
    public void Cli_References_OnlyContractsOfOurs()
    {
        AssertOurReferencesWithin(Cli, "Hyperion.Contracts");
    }

    /// <summary>The lab drives the Center and hosts as separate processes over their public API: never their code.</summary>
    [Fact]
    public void Lab_References_OnlyContractsHypervisorDomainOfOurs()
    {
        AssertOurReferencesWithin(Lab, "Hyperion.Contracts", "Hyperion.Hypervisor", "Hyperion.Domain");
        Assert.Contains("Hyperion.Contracts", OurReferences(Lab));
        Assert.Contains("Hyperion.Hypervisor", OurReferences(Lab));
    }

    private static void AssertOurReferencesWithin(Assembly assembly, params string[] allowed)
    {
        var forbidden = OurReferences(assembly).Except(allowed, StringComparer.Ordinal).ToList();

        Assert.True(
            forbidden.Count == 0,
            $"{assembly.GetName().Name} may reference only {string.Join(", ", allowed)} of ours, but references: {string.Join(", ", forbidden)}");
    }
}
