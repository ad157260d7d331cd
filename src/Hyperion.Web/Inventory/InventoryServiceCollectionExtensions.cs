using Microsoft.Extensions.DependencyInjection;

namespace Hyperion.Web.Inventory;

/// <summary>Registers the inventory views' reads (tree, summaries, search) and the hosts' hardware cache.</summary>
public static class InventoryServiceCollectionExtensions
{
    public static IServiceCollection AddInventoryViews(this IServiceCollection services) => services
        .AddSingleton<HostHardware>()
        .AddScoped<InventoryBrowser>()
        .AddScoped<InventorySummaries>()
        .AddScoped<InventorySearch>();
}
