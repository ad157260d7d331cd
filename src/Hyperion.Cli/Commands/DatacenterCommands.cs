using System.CommandLine;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary><c>datacenter create|list</c> on a Center.</summary>
internal static class DatacenterCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = new Argument<string>("name") { Description = "Name of the new datacenter" };
        var create = new Command("create", "Create a datacenter (with its host and VM folders)") { name, json };
        context.SetApiAction(create, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var asJson = parseResult.GetValue(json);
            var response = await client.CreateDatacenterAsync(new DatacenterCreateRequest(parseResult.GetRequiredValue(name)), ct);
            return await context.CompleteAsync(client, output, response, noWait: false, asJson, datacenter =>
            {
                if (asJson)
                {
                    output.WriteJson(datacenter);
                }
                else if (datacenter is not null)
                {
                    output.WriteLine($"Created datacenter '{datacenter.Name}' ({datacenter.Id}).");
                }
            }, ct);
        });

        var listJson = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the Center's datacenters") { listJson };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var datacenters = await client.ListDatacentersAsync(ct);
            if (parseResult.GetValue(listJson))
            {
                output.WriteJson(datacenters);
            }
            else
            {
                InventoryPresenter.WriteDatacenters(output.Ansi, datacenters);
            }

            return CliExitCodes.Success;
        });

        return new Command("datacenter", "Datacenters: the top of a Center's inventory") { create, list };
    }
}
