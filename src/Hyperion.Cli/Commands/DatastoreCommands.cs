using System.CommandLine;
using Hyperion.Cli.Output;

namespace Hyperion.Cli.Commands;

/// <summary><c>datastore …</c>.</summary>
internal static class DatastoreCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the host's datastores with capacity and free space") { json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, "the Center does not list datastores yet: connect to a host.", ct);
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
