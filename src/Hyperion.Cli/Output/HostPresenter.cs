using System.Globalization;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Hosts;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for <c>host info</c> (a host agent describing itself) and the Center's hosts.</summary>
internal static class HostPresenter
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<HostDto> hosts)
    {
        if (hosts.Count == 0)
        {
            console.WriteLine("No hosts.");
            return;
        }

        var table = new Table().AddColumns("Host", "State", "Cluster", "VMs", "Last heartbeat", "Id");
        foreach (var host in hosts)
        {
            table.AddRow(
                new Text(host.Address),
                new Text(host.ConnectionState),
                new Text(host.Cluster ?? string.Empty),
                new Text(host.VmCount.ToString(CultureInfo.InvariantCulture)),
                new Text(host.LastHeartbeatAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty),
                new Text(host.Id));
        }

        console.Write(table);
    }

    public static void WriteDetails(IAnsiConsole console, HostDto host)
    {
        var grid = new Grid().AddColumn().AddColumn();
        Add(grid, "Id", host.Id);
        Add(grid, "Name", host.Name);
        Add(grid, "Address", host.Address);
        Add(grid, "State", host.ConnectionState);
        Add(grid, "Cluster", host.Cluster ?? "(standalone)");
        Add(grid, "VMs", host.VmCount.ToString(CultureInfo.InvariantCulture));
        if (host.LastHeartbeatAt is { } heartbeat)
        {
            Add(grid, "Last heartbeat", heartbeat.ToString("u", CultureInfo.InvariantCulture));
        }

        Add(grid, "Certificate", "SHA-256 " + host.Fingerprint);
        console.Write(grid);
    }

    public static void WriteDetails(IAnsiConsole console, HostInfoDto host)
    {
        var acceleration = host.Acceleration;
        var accelerationText = $"{acceleration.Mode} (requested {acceleration.Requested}: {acceleration.Reason})";
        var grid = new Grid().AddColumn().AddColumn();
        Add(grid, "Name", host.Name);
        Add(grid, "Agent version", host.AgentVersion);
        Add(grid, "QEMU version", host.QemuVersion);
        Add(grid, "CPU", $"{host.CpuModel}, {host.Cores.ToString(CultureInfo.InvariantCulture)} cores");
        Add(grid, "Memory", $"{ByteSize.FormatMiB(host.MemoryAvailableMiB)} available of {ByteSize.FormatMiB(host.MemoryMiB)}");
        Add(grid, "Acceleration", accelerationText);
        if (acceleration.VmCpuModel is { } vmCpu)
        {
            Add(grid, "VM CPU model", acceleration.CpuBaseline is null ? $"{vmCpu} (host default; no cluster CPU baseline)" : $"{vmCpu} (cluster CPU baseline)");
        }

        if (acceleration.UsableCpuModels is { Count: > 0 } usable)
        {
            Add(grid, "Usable CPU models", string.Join(", ", usable.Where(m => !m.EndsWith("-v1", StringComparison.Ordinal) || !usable.Contains(m[..^3], StringComparer.Ordinal))));
        }

        Add(grid, "Driver", host.Driver == "qemu" ? "qemu" : $"{host.Driver.ToUpperInvariant()} (no real VMs)");
        Add(grid, "VMs", $"{host.VmCount.ToString(CultureInfo.InvariantCulture)} ({host.RunningVms.Count.ToString(CultureInfo.InvariantCulture)} running)");
        Add(grid, "Started at", host.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        Add(grid, "Certificate", "SHA-256 " + host.CertificateFingerprint);
        console.Write(grid);

        if (host.Datastores.Count > 0)
        {
            DatastorePresenter.WriteList(console, host.Datastores);
        }
    }

    private static void Add(Grid grid, string label, string value) => grid.AddRow(new Text(label + ":"), new Text(value));
}
