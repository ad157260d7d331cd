using Hyperion.Domain.Errors;
using Hyperion.Host.Images;
using Hyperion.Testing;

namespace Hyperion.Host.Tests.Images;

public sealed class ImageCatalogTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyimg");

    public void Dispose() => _dir.Dispose();

    private ImageCatalog Catalog() => new(new HostAgentOptions { DataDirectory = _dir.Combine("data"), TinyGuestDirectory = _dir.Combine("tiny") });

    private void WriteGuest(string manifest, params string[] files)
    {
        Directory.CreateDirectory(_dir.Combine("tiny"));
        File.WriteAllText(_dir.Combine("tiny", "manifest.json"), manifest);
        foreach (var file in files)
        {
            File.WriteAllText(_dir.Combine("tiny", file), "x");
        }
    }

    [Fact]
    public void TryGetTiny_ManifestWithNames_ResolvesPathsInGuestFolder()
    {
        WriteGuest("""{"kernel":"bzImage","initrd":"rootfs.cpio.gz","cmdline":"console=ttyS0 quiet"}""", "bzImage", "rootfs.cpio.gz");

        var image = Catalog().TryGetTiny();

        Assert.Equal(new BootImage("tiny", _dir.Combine("tiny", "bzImage"), _dir.Combine("tiny", "rootfs.cpio.gz"), "console=ttyS0 quiet"), image);
    }

    [Fact]
    public void TryGetTiny_ManifestWithoutFields_UsesDefaults()
    {
        WriteGuest("""{"version":3,"kernel":42}""", "vmlinux", "initramfs.cpio.gz");

        var image = Catalog().TryGetTiny();

        Assert.Equal(new BootImage("tiny", _dir.Combine("tiny", "vmlinux"), _dir.Combine("tiny", "initramfs.cpio.gz"), "console=ttyS0"), image);
    }

    [Fact]
    public void TryGetTiny_KernelFileMissing_Null()
    {
        WriteGuest("{}", "initramfs.cpio.gz");

        Assert.Null(Catalog().TryGetTiny());
    }

    [Fact]
    public void TryGetTiny_NoManifest_Null()
    {
        Assert.Null(Catalog().TryGetTiny());
    }

    [Fact]
    public void GetTiny_NoManifest_ImageNotFoundMentioningBuildScript()
    {
        var ex = Assert.Throws<DomainException>(() => Catalog().GetTiny());

        Assert.Equal(ErrorCodes.ImageNotFound, ex.Code);
        Assert.Contains("tools/tiny-guest/build.sh", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Combine("tiny"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetTiny_Built_ReturnsImage()
    {
        WriteGuest("{}", "vmlinux", "initramfs.cpio.gz");

        Assert.Equal("tiny", Catalog().GetTiny().Name);
    }
}
