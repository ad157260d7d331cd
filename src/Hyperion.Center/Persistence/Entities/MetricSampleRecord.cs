using Hyperion.Center.Metrics;
using Hyperion.Domain.Inventory;

namespace Hyperion.Center.Persistence.Entities;

/// <summary>
/// One value of one performance counter of one object (<c>host-N</c>, <c>vm-N</c>) at one level. Realtime rows are
/// the hosts' 20-second samples (<see cref="SampleCount"/> 1, no min/max); rollup rows hold the average of an interval
/// starting at <see cref="Time"/>, with the minimum and maximum of the samples in it and how many there were. The key
/// is (object, counter, level, time), so a value is stored at most once. Refers to its object by id without a foreign
/// key: history outlives the inventory object until retention removes it.
/// </summary>
public sealed class MetricSampleRecord
{
    public InventoryId ObjectId { get; set; }

    /// <summary>A counter name from <c>MetricCounters</c>: <c>cpu.usage</c>, <c>net.received</c>…</summary>
    public required string Counter { get; set; }

    public MetricLevel Level { get; set; }

    /// <summary>Realtime: when the host sampled it. Rollups: the start of the interval.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>The sampled value, or the average over the interval.</summary>
    public double Value { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    /// <summary>How many realtime samples the value stands for (1 for a realtime row).</summary>
    public int SampleCount { get; set; }
}
