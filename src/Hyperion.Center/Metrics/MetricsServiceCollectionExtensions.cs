using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Center.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The metrics collector and rollup (hosted services) and the query service behind <c>MapMetricsApi</c>.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public static IServiceCollection AddCenterMetrics(this IServiceCollection services, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return services
            .AddSingleton(options)
            .AddScoped<MetricsService>()
            .AddSingleton<MetricsCollector>()
            .AddHostedService(sp => sp.GetRequiredService<MetricsCollector>())
            .AddSingleton<MetricsRollup>()
            .AddHostedService(sp => sp.GetRequiredService<MetricsRollup>());
    }
}
