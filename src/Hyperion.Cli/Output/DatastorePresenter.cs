using Hyperion.Contracts.Center;
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

    /// <summary>A Center's datastores: shared ones list every host that mounts them.</summary>
    public static void WriteCenterList(IAnsiConsole console, IReadOnlyList<CenterDatastoreDto> datastores)
    {
        if (datastores.Count == 0)
        {
            console.WriteLine("No datastores.");
            return;
        }

        var table = new Table().AddColumns("Datastore", "Type", "Capacity", "Free", "Hosts", "Id");
        foreach (var datastore in datastores)
        {
            table.AddRow(
                new Text(datastore.Name),
                new Text(datastore.Type),
                new Text(ByteSize.Format(datastore.CapacityBytes)),
                new Text(ByteSize.Format(datastore.FreeBytes)),
                new Text(string.Join(", ", datastore.HostIds)),
                new Text(datastore.Id));
        }

        console.Write(table);
    }
}
