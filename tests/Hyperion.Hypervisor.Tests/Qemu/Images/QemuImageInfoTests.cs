using Hyperion.Hypervisor.Qemu.Images;

namespace Hyperion.Hypervisor.Tests.Qemu.Images;

public sealed class QemuImageInfoTests
{
    [Fact]
    public void Parse_RecordedPlainQcow2_ReadsSizesAndNoBacking()
    {
        var info = QemuImageInfo.Parse(QemuImgOutputs.PlainQcow2);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal("base.qcow2", info.Filename);
        Assert.Equal(1L << 30, info.VirtualSizeBytes);
        Assert.Equal(200704, info.ActualSizeBytes);
        Assert.Equal(65536, info.ClusterSizeBytes);
        Assert.Null(info.BackingFilename);
        Assert.Null(info.BackingFormat);
        Assert.False(info.DirtyFlag);
        Assert.Empty(info.Snapshots);
    }

    [Fact]
    public void Parse_RecordedQcow2WithBacking_ReadsBackingFileAndFormat()
    {
        var info = QemuImageInfo.Parse(QemuImgOutputs.Qcow2WithBacking);

        Assert.Equal(2L << 30, info.VirtualSizeBytes);
        Assert.Equal("/tmp/qmprec/base.qcow2", info.BackingFilename);
        Assert.Equal("/tmp/qmprec/base.qcow2", info.FullBackingFilename);
        Assert.Equal("qcow2", info.BackingFormat);
    }

    [Fact]
    public void Parse_RecordedQcow2WithSnapshots_ReadsSnapshotsInOrder()
    {
        var info = QemuImageInfo.Parse(QemuImgOutputs.Qcow2WithSnapshots);

        Assert.Equal(["before-upgrade", "second"], info.Snapshots.Select(s => s.Name));
        var first = info.Snapshots[0];
        Assert.Equal("1", first.Id);
        Assert.Equal(0, first.VmStateSizeBytes);
        Assert.Equal(TimeSpan.Zero, first.VmClock);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795432944).AddTicks(99489000 / 100), first.CreatedAt);
    }

    [Fact]
    public void Parse_RecordedRaw_HasNoClusterSizeOrSnapshots()
    {
        var info = QemuImageInfo.Parse(QemuImgOutputs.Raw);

        Assert.Equal("raw", info.Format);
        Assert.Equal(10L << 20, info.VirtualSizeBytes);
        Assert.Equal(4096, info.ActualSizeBytes);
        Assert.Null(info.ClusterSizeBytes);
        Assert.Empty(info.Snapshots);
    }

    [Fact]
    public void Parse_SnapshotWithVmState_ReadsStateSizeAndClock()
    {
        var info = QemuImageInfo.Parse("""
            {"virtual-size": 1024, "format": "qcow2", "snapshots": [
              {"icount": 0, "vm-clock-nsec": 500000000, "name": "live", "date-sec": 10, "date-nsec": 0,
               "vm-clock-sec": 42, "id": "3", "vm-state-size": 123456}]}
            """);

        var snapshot = Assert.Single(info.Snapshots);
        Assert.Equal(123456, snapshot.VmStateSizeBytes);
        Assert.Equal(TimeSpan.FromSeconds(42.5), snapshot.VmClock);
        Assert.Null(info.ActualSizeBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"format": "qcow2"}""")]
    [InlineData("[]")]
    public void Parse_NotAnInfoObject_ThrowsInvalidDataException(string json) =>
        Assert.Throws<InvalidDataException>(() => QemuImageInfo.Parse(json));
}
