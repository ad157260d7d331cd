using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;

namespace Hyperion.Cli.Commands;

/// <summary><c>datastore …</c>.</summary>
internal static class DatastoreCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the datastores with capacity and free space (a host's, or every datacenter's on a Center)") { json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var shared = await client.ListCenterDatastoresAsync(ct);
                if (parseResult.GetValue(json))
                {
                    output.WriteJson(shared);
                }
                else
                {
                    DatastorePresenter.WriteCenterList(output.Ansi, shared);
                }

                return CliExitCodes.Success;
            }

            var datastores = await client.ListDatastoresAsync(ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(datastores);
            }
            else
            {
                DatastorePresenter.WriteList(output.Ansi, datastores);
            }

            return CliExitCodes.Success;
        });

        return new Command("datastore", "Datastores: directories that hold VM folders") { list };
    }
}
