using System.Globalization;
using Hyperion.Contracts.Metrics;

namespace Hyperion.Center.Hosts;

/// <summary>The host agent's performance samples, as the Center's metrics collector fetches them.</summary>
public sealed partial class HostAgentClient
{
    /// <summary><c>GET /api/metrics?since=</c>: the host's samples newer than <paramref name="since"/> (all it keeps when null).</summary>
    public Task<HostMetricsDto> GetMetricsAsync(DateTimeOffset? since, CancellationToken cancellationToken) =>
        GetAsync<HostMetricsDto>(
            since is { } s ? $"/api/metrics?since={Uri.EscapeDataString(s.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))}" : "/api/metrics",
            cancellationToken);
}
