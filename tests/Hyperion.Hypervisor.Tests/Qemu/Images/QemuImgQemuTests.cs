using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Images;

namespace Hyperion.Hypervisor.Tests.Qemu.Images;

/// <summary>The wrapper against the real qemu-img, in a throwaway directory.</summary>
[Trait("Category", "Qemu")]
public sealed class QemuImgQemuTests : IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("hyperion-qemu-img-");
    private readonly QemuImg _img = new(new SystemProcessRunner());

    [Fact]
    public async Task CreateAsync_Qcow2_InfoShowsVirtualSize()
    {
        var path = PathOf("disk.qcow2");

        await _img.CreateAsync(path, "qcow2", 64 * MiB);
        var info = await _img.InfoAsync(path);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(64 * MiB, info.VirtualSizeBytes);
        Assert.True(info.ActualSizeBytes < 64 * MiB, "a fresh qcow2 is sparse");
    }

    [Fact]
    public async Task CreateAsync_WithBackingFile_InfoShowsBacking()
    {
        var basePath = PathOf("base.qcow2");
        var overlay = PathOf("overlay.qcow2");
        await _img.CreateAsync(basePath, "qcow2", 32 * MiB);

        await _img.CreateAsync(overlay, "qcow2", 0, basePath, "qcow2");
        var info = await _img.InfoAsync(overlay);

        Assert.Equal(basePath, info.BackingFilename);
        Assert.Equal("qcow2", info.BackingFormat);
        Assert.Equal(32 * MiB, info.VirtualSizeBytes);
    }

    [Fact]
    public async Task SnapshotCommands_Qcow2_CreateListApplyDelete()
    {
        var path = PathOf("snap.qcow2");
        await _img.CreateAsync(path, "qcow2", 16 * MiB);

        await _img.SnapshotCreateAsync(path, "before-upgrade");
        await _img.SnapshotCreateAsync(path, "after-upgrade");
        var listed = await _img.SnapshotListAsync(path);
        await _img.SnapshotApplyAsync(path, "before-upgrade");
        await _img.SnapshotDeleteAsync(path, "before-upgrade");
        var remaining = await _img.SnapshotListAsync(path);

        Assert.Equal(["before-upgrade", "after-upgrade"], listed.Select(s => s.Name));
        Assert.Equal(["after-upgrade"], remaining.Select(s => s.Name));
        var error = await Assert.ThrowsAsync<QemuImgException>(() => _img.SnapshotDeleteAsync(path, "before-upgrade"));
        Assert.Contains("snapshot not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConvertAsync_Qcow2ToRaw_ProducesRawOfSameSize()
    {
        var source = PathOf("src.qcow2");
        var destination = PathOf("dst.raw");
        await _img.CreateAsync(source, "qcow2", 8 * MiB);

        await _img.ConvertAsync(source, "qcow2", destination, "raw");
        var info = await _img.InfoAsync(destination);

        Assert.Equal("raw", info.Format);
        Assert.Equal(8 * MiB, info.VirtualSizeBytes);
    }

    [Fact]
    public async Task ResizeAsync_Grow_InfoShowsNewSize()
    {
        var path = PathOf("grow.qcow2");
        await _img.CreateAsync(path, "qcow2", 8 * MiB);

        await _img.ResizeAsync(path, 24 * MiB);

        Assert.Equal(24 * MiB, (await _img.InfoAsync(path)).VirtualSizeBytes);
    }

    [Fact]
    public async Task ResizeAsync_Shrink_IsRefused()
    {
        var path = PathOf("shrink.qcow2");
        await _img.CreateAsync(path, "qcow2", 8 * MiB);

        var error = await Assert.ThrowsAsync<QemuImgException>(() => _img.ResizeAsync(path, 4 * MiB));

        Assert.Equal(8 * MiB, (await _img.InfoAsync(path)).VirtualSizeBytes);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Fact]
    public async Task CheckAsync_FreshQcow2_IsConsistent()
    {
        var path = PathOf("check.qcow2");
        await _img.CreateAsync(path, "qcow2", 8 * MiB);

        Assert.True((await _img.CheckAsync(path)).IsConsistent);
    }

    [Fact]
    public async Task InfoAsync_MissingFile_ThrowsQemuImgExceptionWithReason()
    {
        var error = await Assert.ThrowsAsync<QemuImgException>(() => _img.InfoAsync(PathOf("missing.qcow2")));

        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);
}
