using Hyperion.Contracts.Datastores;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for datastores.</summary>
internal static class DatastorePresenter
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<DatastoreDto> datastores)
    {
        if (datastores.Count == 0)
        {
            console.WriteLine("No datastores.");
            return;
        }

        var table = new Table().AddColumns("Datastore", "Type", "Capacity", "Free", "Path");
        foreach (var datastore in datastores)
        {
            table.AddRow(
                new Text(datastore.Name),
                new Text(datastore.Type),
                new Text(ByteSize.Format(datastore.CapacityBytes)),
                new Text(ByteSize.Format(datastore.FreeBytes)),
                new Text(datastore.Path));
        }

        console.Write(table);
    }
}
