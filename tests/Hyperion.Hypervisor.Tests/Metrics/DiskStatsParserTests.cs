using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class DiskStatsParserTests
{
    private const string DiskStats = """
           7       0 loop0 10 0 80 0 0 0 0 0 0 0 0 0 0 0 0 0 0
         254       0 vda 190938 18524 7218810 295664 96824 51394 9351920 33011 0 45548 336204 42737 49 5470384 6454 16468 1073
         254       1 vda1 1000 0 2000 0 10 0 20 0 0 0 0
         259       0 nvme0n1 5 0 100 0 6 0 200 0 0 0 0
         259       1 nvme0n1p1 5 0 100 0 6 0 200 0 0 0 0
         253       0 dm-0 50 0 999 0 60 0 888 0 0 0 0
         253       1 zram0 1 0 8 0 1 0 8 0 0 0 0
        """;

    private static readonly HashSet<string> BlockDevices = ["loop0", "vda", "nvme0n1", "dm-0", "zram0"];

    [Fact]
    public void Sum_PhysicalWholeDisks_SectorsTimes512()
    {
        var (read, written) = DiskStatsParser.Sum(DiskStats, name => DiskStatsParser.IsPhysicalWholeDisk(name, BlockDevices));

        Assert.Equal((7218810UL + 100) * 512, read);
        Assert.Equal((9351920UL + 200) * 512, written);
    }

    [Theory]
    [InlineData("vda", true)]
    [InlineData("nvme0n1", true)]
    [InlineData("vda1", false)]
    [InlineData("loop0", false)]
    [InlineData("dm-0", false)]
    [InlineData("zram0", false)]
    [InlineData("sdz", false)]
    public void IsPhysicalWholeDisk_Name_ListedAndNotVirtual(string name, bool expected) =>
        Assert.Equal(expected, DiskStatsParser.IsPhysicalWholeDisk(name, BlockDevices));

    [Fact]
    public void Sum_ShortOrEmptyLines_Ignored() =>
        Assert.Equal((0UL, 0UL), DiskStatsParser.Sum("\n   8 0 sda 1 2\n", _ => true));
}
