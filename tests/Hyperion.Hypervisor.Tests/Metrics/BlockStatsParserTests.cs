using System.Text.Json;
using Hyperion.Hypervisor.Metrics;

namespace Hyperion.Hypervisor.Tests.Metrics;

public sealed class BlockStatsParserTests
{
    [Fact]
    public void Sum_TwoDevices_AddsReadAndWrittenBytes()
    {
        // Trimmed from QEMU 7.2's answer to query-blockstats for a VM with a disk and an empty CD-ROM.
        using var answer = JsonDocument.Parse("""
            [
              {"device": "drive-disk0", "qdev": "/machine/peripheral/disk0/virtio-backend", "node-name": "#block123",
               "stats": {"rd_bytes": 1048576, "wr_bytes": 4096, "rd_operations": 20, "wr_operations": 1, "flush_operations": 0},
               "parent": {"node-name": "#block011", "stats": {"rd_bytes": 999, "wr_bytes": 999}}},
              {"device": "drive-cd0", "qdev": "cd0", "stats": {"rd_bytes": 2048, "wr_bytes": 0}},
              {"device": "odd"}
            ]
            """);

        Assert.Equal((1048576UL + 2048, 4096UL), BlockStatsParser.Sum(answer.RootElement));
    }

    [Fact]
    public void Sum_NotAnArray_Zero()
    {
        using var answer = JsonDocument.Parse("{}");

        Assert.Equal((0UL, 0UL), BlockStatsParser.Sum(answer.RootElement));
    }
}
