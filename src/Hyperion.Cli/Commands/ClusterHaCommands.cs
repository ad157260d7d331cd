using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Ha;

namespace Hyperion.Cli.Commands;

/// <summary><c>cluster ha enable|disable|status</c>: vSphere HA on a Center's cluster.</summary>
internal static class ClusterHaCommands
{
    public static Command Create(CommandContext context) =>
        new("ha", "vSphere HA: restart the VMs of a failed host on the cluster's other hosts") { CreateEnable(context), CreateDisable(context), CreateStatus(context) };

    private static Command CreateEnable(CommandContext context)
    {
        var cluster = CreateClusterArgument();
        var failures = new Option<int?>("--host-failures-tolerated") { Description = "Admission control: host failures the cluster keeps memory for (default 1)", HelpName = "N" };
        var isolation = new Option<string?>("--isolation-response") { Description = "What an isolated host does with its protected VMs (default power-off)", HelpName = "RESPONSE" }
            .AcceptOnlyFromAmong([.. HaIsolationResponses.All]);
        var monitoring = new Option<string?>("--vm-monitoring") { Description = "Restart protected VMs whose QEMU died or whose guest stopped (default on)", HelpName = "on|off" }
            .AcceptOnlyFromAmong("on", "off");
        var datastores = new Option<string[]>("--heartbeat-datastore") { Description = "Datastore for HA heartbeats, mounted by every host; repeatable (default: every such datastore)", HelpName = "DATASTORE" };
        var json = CommandContext.CreateJsonOption();
        var command = new Command("enable", "Turn HA on for a cluster (or change its settings): every host must be connected and started with --etcd")
        {
            cluster, failures, isolation, monitoring, datastores, json,
        };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var given = parseResult.GetValue(datastores) ?? [];
            var request = new ClusterHaRequest(
                true,
                parseResult.GetValue(failures),
                parseResult.GetValue(isolation),
                parseResult.GetValue(monitoring) is { } on ? on == "on" : null,
                given.Length == 0 ? null : given);
            return await SetAsync(context, parseResult, client, output, cluster, request, parseResult.GetValue(json), ct);
        });
        return command;
    }

    private static Command CreateDisable(CommandContext context)
    {
        var cluster = CreateClusterArgument();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("disable", "Turn HA off for a cluster (its settings are kept for the next enable)") { cluster, json };
        context.SetApiAction(command, (parseResult, client, output, ct) =>
            SetAsync(context, parseResult, client, output, cluster, new ClusterHaRequest(false), parseResult.GetValue(json), ct));
        return command;
    }

    private static Command CreateStatus(CommandContext context)
    {
        var cluster = CreateClusterArgument();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("status", "Show a cluster's HA settings, master, hosts, protected VMs and admission control") { cluster, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var target = await FindClusterAsync(client, parseResult.GetRequiredValue(cluster), ct);
            var status = await client.GetClusterHaStatusAsync(target.Id, ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(status);
            }
            else
            {
                HaPresenter.WriteStatus(output.Ansi, status);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> SetAsync(
        CommandContext context, ParseResult parseResult, HyperionApiClient client, CliOutput output, Argument<string> cluster, ClusterHaRequest request, bool asJson, CancellationToken ct)
    {
        await CommandContext.RequireCenterAsync(parseResult, client, ct);
        var target = await FindClusterAsync(client, parseResult.GetRequiredValue(cluster), ct);
        return await context.CompleteAsync(client, output, await client.SetClusterHaAsync(target.Id, request, ct), noWait: false, asJson, result =>
        {
            if (asJson)
            {
                output.WriteJson(result);
            }
            else if (result?.Ha is { } ha)
            {
                output.WriteLine(ha.Enabled
                    ? $"HA enabled on cluster '{result.Name}': {HaPresenter.Describe(ha)}."
                    : $"HA disabled on cluster '{result.Name}'.");
            }
        }, ct);
    }

    private static Argument<string> CreateClusterArgument() => new("cluster") { Description = "The cluster (name or id)" };

    private static async Task<ClusterDto> FindClusterAsync(HyperionApiClient client, string name, CancellationToken ct)
    {
        var clusters = await client.ListClustersAsync(ct);
        return clusters.FirstOrDefault(c => c.Id == name) ?? clusters.FirstOrDefault(c => c.Name == name)
            ?? throw new CliUsageException($"no cluster '{name}' (see 'hyperion cluster list')");
    }
}
