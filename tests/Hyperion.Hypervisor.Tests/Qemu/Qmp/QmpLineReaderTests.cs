using System.Text;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Tests.Qemu.Qmp;

public sealed class QmpLineReaderTests
{
    [Fact]
    public async Task ReadLineAsync_CrlfAndLfTerminators_ReturnsLinesWithoutTerminators()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\r\n{\"b\":2}\n\r\n"));
        var reader = new QmpLineReader(stream, 1024);

        Assert.Equal("{\"a\":1}", await ReadAsync(reader));
        Assert.Equal("{\"b\":2}", await ReadAsync(reader));
        Assert.Equal(string.Empty, await ReadAsync(reader));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLineAsync_UnterminatedTailAtEndOfStream_ReturnsNull()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\r\n{\"trunc"));
        var reader = new QmpLineReader(stream, 1024);

        Assert.Equal("{\"a\":1}", await ReadAsync(reader));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLineAsync_LineLongerThanInitialBuffer_GrowsAndReturnsIt()
    {
        var big = "{\"x\":\"" + new string('a', 100_000) + "\"}";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(big + "\r\n{}\r\n"));
        var reader = new QmpLineReader(stream, 1 << 20);

        Assert.Equal(big, await ReadAsync(reader));
        Assert.Equal("{}", await ReadAsync(reader));
    }

    [Fact]
    public async Task ReadLineAsync_LineOverLimit_ThrowsInvalidDataException()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 70_000) + "\n"));
        var reader = new QmpLineReader(stream, 32 * 1024);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(CancellationToken.None));
    }

    private static async Task<string?> ReadAsync(QmpLineReader reader) =>
        await reader.ReadLineAsync(CancellationToken.None) is { } line ? Encoding.UTF8.GetString(line.Span) : null;
}
