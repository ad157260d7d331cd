using Hyperion.Domain.Units;

namespace Hyperion.Domain.Tests.Units;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("1.5G", 1536L * 1024 * 1024)]
    [InlineData("1.5GiB", 1536L * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    [InlineData("4096B", 4096L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("1K", 1024L)]
    [InlineData("1kb", 1024L)]
    [InlineData("0.5K", 512L)]
    [InlineData("2MB", 2L * 1024 * 1024)]
    [InlineData("2mib", 2L * 1024 * 1024)]
    [InlineData("1T", 1024L * 1024 * 1024 * 1024)]
    [InlineData("64TiB", 64L * 1024 * 1024 * 1024 * 1024)]
    [InlineData("  8 G  ", 8L * 1024 * 1024 * 1024)]
    [InlineData("0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void TryParse_ValidText_ReturnsBytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("G")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("-1G")]
    [InlineData("+1G")]
    [InlineData("1X")]
    [InlineData("1GG")]
    [InlineData("1 G B")]
    [InlineData("1.2.3G")]
    [InlineData("1,5G")]
    [InlineData("1e3")]
    [InlineData("1.5")]
    [InlineData("0.3K")]
    [InlineData("1PB")]
    [InlineData("9223372036854775808")]
    [InlineData("8388608T")]
    [InlineData("99999999999999999999999999999999")]
    public void TryParse_InvalidText_ReturnsFalseAndZero(string? text)
    {
        Assert.False(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void TryParse_NumberNearDecimalMaxTimesUnit_ReturnsFalse()
    {
        Assert.False(ByteSize.TryParse("10000000000000000000000000000K", out var bytes));
        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "1")]
    [InlineData(1024L, "1024")]
    [InlineData(4096L, "4096")]
    [InlineData(512L * 1024 * 1024, "512M")]
    [InlineData(1536L * 1024 * 1024, "1536M")]
    [InlineData(1024L * 1024 * 1024, "1G")]
    [InlineData(64L * 1024 * 1024 * 1024 * 1024, "65536G")]
    [InlineData(1024L * 1024 + 1, "1048577")]
    public void Format_Bytes_UsesLargestExactUnit(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(4095L)]
    [InlineData(ByteSize.MiB)]
    [InlineData(3 * ByteSize.MiB + 7)]
    [InlineData(1536 * ByteSize.MiB)]
    [InlineData(ByteSize.GiB)]
    [InlineData(1024 * ByteSize.GiB)]
    [InlineData(long.MaxValue)]
    public void Format_ThenTryParse_RoundTrips(long bytes)
    {
        Assert.True(ByteSize.TryParse(ByteSize.Format(bytes), out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
