using System.CommandLine;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary><c>cluster create|list</c> on a Center.</summary>
internal static class ClusterCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = new Argument<string>("name") { Description = "Name of the new cluster" };
        var datacenter = new Option<string?>("--datacenter") { Description = "Datacenter (name or id); the only one when omitted", HelpName = "DATACENTER" };
        var create = new Command("create", "Create a cluster in a datacenter's host folder") { name, datacenter, json };
        context.SetApiAction(create, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var asJson = parseResult.GetValue(json);
            var request = new ClusterCreateRequest(
                parseResult.GetRequiredValue(name),
                await CenterLookup.DatacenterAsync(client, parseResult.GetValue(datacenter), null, ct));
            return await context.CompleteAsync(client, output, await client.CreateClusterAsync(request, ct), noWait: false, asJson, cluster =>
            {
                if (asJson)
                {
                    output.WriteJson(cluster);
                }
                else if (cluster is not null)
                {
                    output.WriteLine($"Created cluster '{cluster.Name}' ({cluster.Id}) in {cluster.DatacenterId}.");
                }
            }, ct);
        });

        var listJson = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the Center's clusters") { listJson };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var clusters = await client.ListClustersAsync(ct);
            if (parseResult.GetValue(listJson))
            {
                output.WriteJson(clusters);
            }
            else
            {
                InventoryPresenter.WriteClusters(output.Ansi, clusters);
            }

            return CliExitCodes.Success;
        });

        return new Command("cluster", "Clusters: groups of hosts that share VMs") { create, list };
    }
}
