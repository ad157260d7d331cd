using Hyperion.Domain.Errors;
using Hyperion.Domain.Hosts;
using Hyperion.Domain.Vms;

namespace Hyperion.Domain.Tests.Vms;

public sealed class VmSpecRulesTests
{
    private static readonly HostCapacity Host = new(LogicalCpus: 8, MemoryMiB: 16_384);

    [Theory]
    [InlineData("web01")]
    [InlineData("a")]
    [InlineData("9lives")]
    [InlineData("db_primary.example-01")]
    [InlineData("UPPER.lower_123")]
    [InlineData("a-")]
    [InlineData("a.")]
    public void ValidateName_ValidName_ReturnsNull(string name)
    {
        Assert.Null(VmSpecRules.ValidateName(name));
    }

    [Fact]
    public void ValidateName_MaxLength_ReturnsNull()
    {
        Assert.Null(VmSpecRules.ValidateName(new string('a', VmSpecRules.MaxNameLength)));
    }

    [Fact]
    public void ValidateName_OneOverMaxLength_RefusesWithLengthMessage()
    {
        var error = VmSpecRules.ValidateName(new string('a', VmSpecRules.MaxNameLength + 1));

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("name", error.Field);
        Assert.Contains("80", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void ValidateName_Missing_RefusesAsRequired(string? name)
    {
        var error = VmSpecRules.ValidateName(name);

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("name", error.Field);
        Assert.Equal("VM name is required", error.Message);
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("has space")]
    [InlineData("comma,name")]
    [InlineData("slash/name")]
    [InlineData("back\\slash")]
    [InlineData("colon:name")]
    [InlineData("..")]
    [InlineData("ünïcode")]
    [InlineData("tab\tname")]
    [InlineData("nul\0name")]
    public void ValidateName_BadCharactersOrStart_RefusesWithName(string name)
    {
        var error = VmSpecRules.ValidateName(name);

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("name", error.Field);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(8, 16_384)]
    [InlineData(4, 2048)]
    public void ValidateSizes_WithinHost_ReturnsNoErrors(int cpus, long memoryMiB)
    {
        Assert.Empty(VmSpecRules.ValidateSizes(cpus, memoryMiB, Host));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ValidateSizes_FewerThanOneCpu_InvalidSpecOnCpus(int cpus)
    {
        var error = Assert.Single(VmSpecRules.ValidateSizes(cpus, 512, Host));

        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("cpus", error.Field);
        Assert.Equal($"a VM needs at least 1 vCPU (got {cpus})", error.Message);
    }

    [Fact]
    public void ValidateSizes_MoreCpusThanHost_NoCapacityOnCpus()
    {
        var error = Assert.Single(VmSpecRules.ValidateSizes(9, 512, Host));

        Assert.Equal(ErrorCodes.HostNoCapacity, error.Code);
        Assert.Equal("cpus", error.Field);
        Assert.Equal("9 vCPUs is more than the host's 8 logical CPUs", error.Message);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(0)]
    [InlineData(-512)]
    public void ValidateSizes_MemoryBelowMinimum_InvalidSpecOnMemory(long memoryMiB)
    {
        var error = Assert.Single(VmSpecRules.ValidateSizes(1, memoryMiB, Host));

        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("memoryMiB", error.Field);
        Assert.Equal($"a VM needs at least 16 MiB of memory (got {memoryMiB})", error.Message);
    }

    [Fact]
    public void ValidateSizes_MemoryAboveHost_NoCapacityOnMemory()
    {
        var error = Assert.Single(VmSpecRules.ValidateSizes(1, 16_385, Host));

        Assert.Equal(ErrorCodes.HostNoCapacity, error.Code);
        Assert.Equal("memoryMiB", error.Field);
        Assert.Equal("16385 MiB of memory is more than the host's 16384 MiB", error.Message);
    }

    [Fact]
    public void ValidateSizes_CpusAndMemoryBothWrong_ReportsBothInOrder()
    {
        var errors = VmSpecRules.ValidateSizes(0, 1_000_000, Host);

        Assert.Collection(
            errors,
            e => Assert.Equal(("cpus", ErrorCodes.VmInvalidSpec), (e.Field, e.Code)),
            e => Assert.Equal(("memoryMiB", ErrorCodes.HostNoCapacity), (e.Field, e.Code)));
    }

    [Theory]
    [InlineData(VmSpecRules.MinDiskBytes)]
    [InlineData(10L * 1024 * 1024 * 1024)]
    [InlineData(VmSpecRules.MaxDiskBytes)]
    public void ValidateDiskSize_WithinBounds_ReturnsNull(long bytes)
    {
        Assert.Null(VmSpecRules.ValidateDiskSize(bytes, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(VmSpecRules.MinDiskBytes - 1)]
    [InlineData(VmSpecRules.MaxDiskBytes + 1)]
    [InlineData(long.MaxValue)]
    public void ValidateDiskSize_OutOfBounds_RefusesWithIndexedField(long bytes)
    {
        var error = VmSpecRules.ValidateDiskSize(bytes, 3);

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.VmInvalidSpec, error.Code);
        Assert.Equal("disks[3].size", error.Field);
        Assert.Equal($"disk 3 size must be between 1M and 64T (got {bytes} bytes)", error.Message);
    }

    [Fact]
    public void Constants_DiskBounds_Are1MiBAnd64TiB()
    {
        Assert.Equal(1L << 20, VmSpecRules.MinDiskBytes);
        Assert.Equal(64L << 40, VmSpecRules.MaxDiskBytes);
    }
}
