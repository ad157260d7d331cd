using Hyperion.Contracts.Center;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for the Center's containers: datacenters and clusters.</summary>
internal static class InventoryPresenter
{
    public static void WriteDatacenters(IAnsiConsole console, IReadOnlyList<DatacenterDto> datacenters)
    {
        if (datacenters.Count == 0)
        {
            console.WriteLine("No datacenters.");
            return;
        }

        var table = new Table().AddColumns("Datacenter", "Id", "Host folder", "VM folder");
        foreach (var datacenter in datacenters)
        {
            table.AddRow(new Text(datacenter.Name), new Text(datacenter.Id), new Text(datacenter.HostFolderId), new Text(datacenter.VmFolderId));
        }

        console.Write(table);
    }

    public static void WriteClusters(IAnsiConsole console, IReadOnlyList<ClusterDto> clusters)
    {
        if (clusters.Count == 0)
        {
            console.WriteLine("No clusters.");
            return;
        }

        var table = new Table().AddColumns("Cluster", "Id", "Datacenter", "CPU baseline");
        foreach (var cluster in clusters)
        {
            table.AddRow(new Text(cluster.Name), new Text(cluster.Id), new Text(cluster.DatacenterId), new Text(cluster.CpuBaseline ?? "-"));
        }

        console.Write(table);
    }
}
