using System.Globalization;

namespace Hyperion.Bench.Clone;

internal static class Stats
{
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Nearest-rank percentile (<paramref name="p"/> in 0–100).</summary>
    public static double? Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string N(double? value, int decimals) => value is { } v ? F(v, decimals) : "n/a";

    public static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>"median (min–max)" of a few runs, or the one value.</summary>
    public static string Spread(IReadOnlyCollection<double> values, int decimals = 0) =>
        values.Count switch
        {
            0 => "n/a",
            1 => F(values.First(), decimals),
            _ => $"{N(Median(values), decimals)} ({F(values.Min(), decimals)}–{F(values.Max(), decimals)})",
        };

    /// <summary>"p50 / p95 / max".</summary>
    public static string Latencies(IReadOnlyCollection<double> values, int decimals = 0) =>
        values.Count == 0 ? "n/a" : $"{N(Percentile(values, 50), decimals)} / {N(Percentile(values, 95), decimals)} / {F(values.Max(), decimals)}";
}
