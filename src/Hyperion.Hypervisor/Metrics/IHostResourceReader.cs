namespace Hyperion.Hypervisor.Metrics;

/// <summary>Reads this machine's CPU, memory, disk and network counters (the metrics sampler's seam; tests feed it).</summary>
public interface IHostResourceReader
{
    /// <exception cref="IOException">A counter file could not be read.</exception>
    HostResourceSample Read();
}
