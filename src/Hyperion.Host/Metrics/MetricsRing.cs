using Hyperion.Contracts.Metrics;

namespace Hyperion.Host.Metrics;

/// <summary>
/// The agent's last <c>retention</c> of samples, in memory, oldest first. Values are kept as one array per sample
/// (counter order of <see cref="MetricCounters.All"/>, NaN = not measured) rather than dictionaries, so a host
/// with many VMs (or a simulated scale test) keeps an hour cheaply. Thread-safe.
/// </summary>
internal sealed class MetricsRing(TimeSpan retention)
{
    private static readonly string[] Counters = MetricCounters.All.Select(c => c.Name).ToArray();

    private readonly Queue<Tick> _ticks = new();

    /// <summary>The time of the newest tick, or null when empty.</summary>
    public DateTimeOffset? Newest
    {
        get
        {
            lock (_ticks)
            {
                return _ticks.Count == 0 ? null : _ticks.Last().Time;
            }
        }
    }

    /// <summary>Adds one tick's samples and forgets ticks older than the retention before <paramref name="time"/>.</summary>
    public void Add(DateTimeOffset time, IEnumerable<(string Entity, IReadOnlyDictionary<string, double> Values)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var stored = samples.Select(s => new Entry(s.Entity, Counters.Select(c => s.Values.TryGetValue(c, out var v) ? v : double.NaN).ToArray())).ToList();
        lock (_ticks)
        {
            _ticks.Enqueue(new Tick(time, stored));
            while (_ticks.Count > 0 && _ticks.Peek().Time <= time - retention)
            {
                _ticks.Dequeue();
            }
        }
    }

    /// <summary>Samples of the ticks strictly after <paramref name="since"/> (all kept when null), oldest first.</summary>
    public IReadOnlyList<MetricSampleDto> Since(DateTimeOffset? since)
    {
        List<Tick> ticks;
        lock (_ticks)
        {
            ticks = _ticks.Where(t => since is not { } s || t.Time > s).ToList();
        }

        var result = new List<MetricSampleDto>();
        foreach (var tick in ticks)
        {
            foreach (var entry in tick.Entries)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var i = 0; i < Counters.Length; i++)
                {
                    if (!double.IsNaN(entry.Values[i]))
                    {
                        values[Counters[i]] = entry.Values[i];
                    }
                }

                result.Add(new MetricSampleDto(tick.Time, entry.Entity, values));
            }
        }

        return result;
    }

    private sealed record Tick(DateTimeOffset Time, IReadOnlyList<Entry> Entries);

    private sealed record Entry(string Entity, double[] Values);
}
