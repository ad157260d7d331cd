using Hyperion.Domain.Migrations;

namespace Hyperion.Domain.Tests.Migrations;

public sealed class MigrationCompatibilityTests
{
    private static MigrationHostFacts Host(string name, string accel = "tcg", string model = "max", string qemu = "7.2.0", string cpu = "Xeon", params string[] flags) =>
        new(name, accel, model, qemu, cpu, flags.Length == 0 ? ["sse2", "avx"] : flags);

    [Fact]
    public void Check_SameHostsKind_IsCompatible() => Assert.Null(MigrationCompatibility.Check(Host("a"), Host("b")));

    [Fact]
    public void Check_DifferentAccelerators_Refused() =>
        Assert.Contains("cannot change accelerator", MigrationCompatibility.Check(Host("a", "kvm", "host"), Host("b")), StringComparison.Ordinal);

    [Fact]
    public void Check_DifferentCpuModels_AsksForABaseline() =>
        Assert.Contains("CPU baseline", MigrationCompatibility.Check(Host("a", model: "Haswell"), Host("b", model: "max")), StringComparison.Ordinal);

    [Fact]
    public void Check_BaselineModel_DestinationRunsIt_Allowed() =>
        Assert.Null(MigrationCompatibility.Check(Host("a", model: "Westmere-v1"), Host("b") with { UsableCpuModels = ["Nehalem-v1", "Westmere-v1"] }));

    [Fact]
    public void Check_BaselineModel_DestinationCannotRunIt_Refused() =>
        Assert.Contains("cannot run", MigrationCompatibility.Check(Host("a", model: "Haswell-v1"), Host("b") with { UsableCpuModels = ["Westmere-v1"] }), StringComparison.Ordinal);

    [Fact]
    public void Check_HostDefaultModel_NeverSatisfiedByTheUsableList() =>
        Assert.Contains("CPU baseline", MigrationCompatibility.Check(Host("a", "kvm", "host"), Host("b", "kvm", "max") with { UsableCpuModels = ["host", "max"] }), StringComparison.Ordinal);

    [Fact]
    public void Check_OlderDestinationQemu_Refused() =>
        Assert.Contains("older", MigrationCompatibility.Check(Host("a", qemu: "8.0.0"), Host("b", qemu: "7.2.0")), StringComparison.Ordinal);

    [Fact]
    public void Check_NewerDestinationQemu_Allowed() => Assert.Null(MigrationCompatibility.Check(Host("a", qemu: "7.2.0"), Host("b", qemu: "7.10.0")));

    [Fact]
    public void Check_HostPassthrough_DestinationLackingFlags_NamesThem()
    {
        var reason = MigrationCompatibility.Check(Host("a", "kvm", "host", cpu: "EPYC", flags: ["sse2", "avx", "avx512f"]), Host("b", "kvm", "host", cpu: "Xeon", flags: ["sse2", "avx"]));
        Assert.Contains("avx512f", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HostPassthrough_DestinationSuperset_Allowed() =>
        Assert.Null(MigrationCompatibility.Check(Host("a", "kvm", "host", cpu: "Old", flags: ["sse2"]), Host("b", "kvm", "host", cpu: "New", flags: ["sse2", "avx"])));

    [Theory]
    [InlineData("7.2.0", "7.2.0", 0)]
    [InlineData("7.10.0", "7.2.0", 1)]
    [InlineData("7.2", "7.2.1", -1)]
    public void Compare_IsNumeric(string a, string b, int expected) => Assert.Equal(expected, Math.Sign(MigrationCompatibility.Compare(a, b)));
}
