using Hyperion.Domain.Errors;
using Hyperion.Domain.Vms;
using Hyperion.Host.Vms;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Vms;

public sealed class VmFolderTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyvf");

    public void Dispose() => _dir.Dispose();

    private static VmSpec Spec() => new()
    {
        Name = "web01",
        Uuid = Guid.Parse("0f4c2b9e-6a4d-4e8b-9c1f-3d2a1b0c9e8f"),
        Cpus = 2,
        MemoryMiB = 512,
        Disks = [new DiskSpec("disk0.qcow2", 10L << 30), new DiskSpec("data.raw", 1L << 20, "raw")],
        Nics = [new NicSpec("52:54:00:00:00:01", "user"), new NicSpec("52:54:00:00:00:02", "none")],
        Boot = new BootSpec(BootKind.Kernel, Image: "tiny", KernelArgs: "quiet"),
    };

    [Fact]
    public void SaveThenLoad_FullSpec_RoundTrips()
    {
        var spec = Spec();

        VmFolder.Save(_dir.Path, spec);
        var loaded = VmFolder.Load(_dir.Path);

        Assert.Equal(spec.Name, loaded.Name);
        Assert.Equal(spec.Uuid, loaded.Uuid);
        Assert.Equal(spec.Cpus, loaded.Cpus);
        Assert.Equal(spec.MemoryMiB, loaded.MemoryMiB);
        Assert.Equal(spec.Disks, loaded.Disks);
        Assert.Equal(spec.Nics, loaded.Nics);
        Assert.Equal(spec.Boot, loaded.Boot);
        Assert.False(File.Exists(_dir.Combine("vm.json.tmp")));
    }

    [Fact]
    public void Save_Twice_OverwritesWithLatest()
    {
        VmFolder.Save(_dir.Path, Spec());
        VmFolder.Save(_dir.Path, Spec() with { Cpus = 8 });

        Assert.Equal(8, VmFolder.Load(_dir.Path).Cpus);
    }

    [Fact]
    public void Save_Always_WritesReadableCamelCaseJson()
    {
        VmFolder.Save(_dir.Path, Spec());

        var json = File.ReadAllText(_dir.Combine(VmFolder.ConfigFile));
        Assert.Contains("\"memoryMiB\": 512", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"kernel\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoVmJson_FolderInvalid()
    {
        var ex = Assert.Throws<DomainException>(() => VmFolder.Load(_dir.Path));

        Assert.Equal(ErrorCodes.VmFolderInvalid, ex.Code);
        Assert.Contains("vm.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_FolderInvalid()
    {
        var ex = Assert.Throws<DomainException>(() => VmFolder.Load(_dir.Combine("nope")));

        Assert.Equal(ErrorCodes.VmFolderInvalid, ex.Code);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"name\":\"x\"}")]
    [InlineData("{\"name\":\"x\",\"uuid\":\"not-a-guid\",\"cpus\":1,\"memoryMiB\":64,\"boot\":{\"kind\":\"disk\"}}")]
    [InlineData("{\"name\":\"x\",\"uuid\":\"0f4c2b9e-6a4d-4e8b-9c1f-3d2a1b0c9e8f\",\"cpus\":1,\"memoryMiB\":64,\"boot\":{\"kind\":\"floppy\"}}")]
    public void Load_CorruptJson_FolderInvalid(string content)
    {
        File.WriteAllText(_dir.Combine(VmFolder.ConfigFile), content);

        var ex = Assert.Throws<DomainException>(() => VmFolder.Load(_dir.Path));

        Assert.Equal(ErrorCodes.VmFolderInvalid, ex.Code);
        Assert.Contains("is not a valid VM configuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonNull_FolderInvalidEmpty()
    {
        File.WriteAllText(_dir.Combine(VmFolder.ConfigFile), "null");

        var ex = Assert.Throws<DomainException>(() => VmFolder.Load(_dir.Path));

        Assert.Equal(ErrorCodes.VmFolderInvalid, ex.Code);
        Assert.EndsWith("is empty", ex.Message, StringComparison.Ordinal);
    }
}
