using Hyperion.Host.Vms;
using Hyperion.Hypervisor.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Metrics;

public static class HostMetricsServiceCollectionExtensions
{
    /// <summary>The metrics sampler (a hosted service) and the ring it fills, served by <c>MapMetricsApi</c>.</summary>
    public static IServiceCollection AddHostMetrics(this IServiceCollection services, HostAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services
            .AddSingleton<IHostResourceReader, HostResourceReader>()
            .AddSingleton(new MetricsRing(options.MetricsRetention))
            .AddSingleton(sp => new HostMetricsSampler(
                sp.GetRequiredService<IHostResourceReader>(),
                sp.GetRequiredService<VmService>().RunningInstances,
                sp.GetRequiredService<MetricsRing>(),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<HostMetricsSampler>>()))
            .AddHostedService(sp => sp.GetRequiredService<HostMetricsSampler>());
    }
}
