using Hyperion.Hypervisor.Qemu.Images;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Images;

/// <summary>The qcow2 header reader against images made by the real qemu-img.</summary>
public sealed class Qcow2HeaderTests
{
    [Fact]
    public async Task Read_PlainImage_VirtualSizeAndNoBacking()
    {
        using var dir = new TestDirectory("hy-qcow2");
        var image = Path.Combine(dir.Path, "a.qcow2");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", image, "3G");

        var header = Qcow2Header.Read(image);

        Assert.Equal(3L << 30, header.VirtualSizeBytes);
        Assert.Null(header.BackingFile);
        Assert.True(Qcow2Header.IsQcow2(image));
    }

    [Fact]
    public async Task Chain_FollowsRelativeAndAbsoluteBackingPaths_DownToARawBase()
    {
        using var dir = new TestDirectory("hy-qcow2");
        Directory.CreateDirectory(Path.Combine(dir.Path, "parent"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "child"));
        var raw = Path.Combine(dir.Path, "parent", "base.raw");
        var frozen = Path.Combine(dir.Path, "parent", "disk0-000001.qcow2");
        var delta = Path.Combine(dir.Path, "parent", "disk0-000002.qcow2");
        var clone = Path.Combine(dir.Path, "child", "c-disk0.qcow2");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "raw", raw, "64M");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", "base.raw", "-F", "raw", frozen, "64M");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", frozen, "-F", "qcow2", delta, "64M");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", "../parent/disk0-000001.qcow2", "-F", "qcow2", clone, "64M");

        Assert.Equal("base.raw", Qcow2Header.Read(frozen).BackingFile);
        Assert.Equal([delta, frozen, raw], Qcow2Header.Chain(delta));
        Assert.Equal([clone, frozen, raw], Qcow2Header.Chain(clone));
        Assert.False(Qcow2Header.IsQcow2(raw));
        Assert.Equal(64L << 20, Qcow2Header.Read(clone).VirtualSizeBytes);
    }

    [Fact]
    public async Task Chain_ThatLoops_IsRefused()
    {
        using var dir = new TestDirectory("hy-qcow2");
        var a = Path.Combine(dir.Path, "a.qcow2");
        var b = Path.Combine(dir.Path, "b.qcow2");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", "b.qcow2", "-F", "qcow2", a, "1M");
        await ExternalTool.QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-b", "a.qcow2", "-F", "qcow2", b, "1M");

        Assert.Throws<InvalidDataException>(() => Qcow2Header.Chain(a));
    }

    [Fact]
    public void Read_NotQcow2_IsRefused()
    {
        using var dir = new TestDirectory("hy-qcow2");
        var text = Path.Combine(dir.Path, "x.qcow2");
        File.WriteAllText(text, "this is not an image, just text long enough for a header");

        Assert.Throws<InvalidDataException>(() => Qcow2Header.Read(text));
        Assert.False(Qcow2Header.IsQcow2(text));
    }
}
