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

        var baselineJson = CommandContext.CreateJsonOption();
        var cluster = new Argument<string>("cluster") { Description = "The cluster (name or id)" };
        var model = new Argument<string?>("model") { Description = "QEMU CPU model every host of the cluster runs (e.g. Westmere-v1); see a host's usable models with 'host info'", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the baseline: VMs powered on from now get their host's CPU model" };
        var baseline = new Command("cpu-baseline", "Set the cluster's CPU baseline (EVC-like): the CPU model VMs get at power-on, so any VM can move to any host of the cluster") { cluster, model, clear, baselineJson };
        context.SetApiAction(baseline, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var given = parseResult.GetValue(model);
            if ((given is null) == !parseResult.GetValue(clear))
            {
                throw new CliUsageException("cluster cpu-baseline needs a MODEL or --clear (not both)");
            }

            var name = parseResult.GetRequiredValue(cluster);
            var clusters = await client.ListClustersAsync(ct);
            var target = clusters.FirstOrDefault(c => c.Id == name) ?? clusters.FirstOrDefault(c => c.Name == name)
                ?? throw new CliUsageException($"no cluster '{name}' (see 'hyperion cluster list')");
            var asJson = parseResult.GetValue(baselineJson);
            return await context.CompleteAsync(client, output, await client.SetClusterCpuBaselineAsync(target.Id, new ClusterCpuBaselineRequest(given), ct), noWait: false, asJson, result =>
            {
                if (asJson)
                {
                    output.WriteJson(result);
                }
                else if (result is not null)
                {
                    output.WriteLine(result.CpuBaseline is { } m
                        ? $"Cluster '{result.Name}': VMs powered on from now get CPU model {m} (running VMs keep theirs until their next power-on)."
                        : $"Cluster '{result.Name}': no CPU baseline; VMs powered on from now get their host's CPU model.");
                }
            }, ct);
        });

        return new Command("cluster", "Clusters: groups of hosts that share VMs") { create, list, baseline, ClusterHaCommands.Create(context) };
    }
}
