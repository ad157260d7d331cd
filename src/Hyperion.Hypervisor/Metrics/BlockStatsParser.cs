using System.Text.Json;

namespace Hyperion.Hypervisor.Metrics;

/// <summary>Reads QMP <c>query-blockstats</c> answers.</summary>
public static class BlockStatsParser
{
    /// <summary>
    /// Bytes read and written by all the VM's block backends: the sum of each entry's <c>stats.rd_bytes</c> and
    /// <c>stats.wr_bytes</c>. Without <c>query-nodes</c> QEMU lists each attached device once, so nothing counts twice.
    /// </summary>
    public static (ulong ReadBytes, ulong WriteBytes) Sum(JsonElement blockstats)
    {
        ulong read = 0;
        ulong written = 0;
        if (blockstats.ValueKind != JsonValueKind.Array)
        {
            return (0, 0);
        }

        foreach (var entry in blockstats.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.Object)
            {
                read += stats.TryGetProperty("rd_bytes", out var rd) && rd.TryGetUInt64(out var r) ? r : 0;
                written += stats.TryGetProperty("wr_bytes", out var wr) && wr.TryGetUInt64(out var w) ? w : 0;
            }
        }

        return (read, written);
    }
}
