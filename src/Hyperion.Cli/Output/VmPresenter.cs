using System.Globalization;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for VMs.</summary>
internal static class VmPresenter
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<VmDto> vms)
    {
        if (vms.Count == 0)
        {
            console.WriteLine("No VMs.");
            return;
        }

        var table = new Table().AddColumns("Name", "Power", "CPUs", "Memory", "Disks", "Datastore", "Id");
        foreach (var vm in vms.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                Cell(vm.Name),
                Cell(vm.Template ? "template" : vm.PowerState),
                Cell(vm.Cpus.ToString(CultureInfo.InvariantCulture)),
                Cell(ByteSize.FormatMiB(vm.MemoryMiB)),
                Cell(vm.Disks.Count.ToString(CultureInfo.InvariantCulture)),
                Cell(vm.Datastore),
                Cell(vm.Id));
        }

        console.Write(table);
    }

    /// <summary>The Center's VMs.</summary>
    public static void WriteList(IAnsiConsole console, IReadOnlyList<CenterVmDto> vms)
    {
        if (vms.Count == 0)
        {
            console.WriteLine("No VMs.");
            return;
        }

        var table = new Table().AddColumns("Name", "Power", "CPUs", "Memory", "Host", "Id");
        foreach (var vm in vms.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal))
        {
            table.AddRow(
                Cell(vm.Name),
                Cell(vm.Template ? "template" : vm.PowerState),
                Cell(vm.Cpus.ToString(CultureInfo.InvariantCulture)),
                Cell(ByteSize.FormatMiB(vm.MemoryMiB)),
                Cell(vm.HostId ?? string.Empty),
                Cell(vm.Id));
        }

        console.Write(table);
    }

    /// <summary>A VM as the Center records it.</summary>
    public static void WriteDetails(IAnsiConsole console, CenterVmDto vm)
    {
        var grid = new Grid().AddColumn().AddColumn();
        Add(grid, "Name", vm.Name);
        Add(grid, "Id", vm.Id);
        Add(grid, "Power state", vm.PowerState);
        Add(grid, "CPUs", vm.Cpus.ToString(CultureInfo.InvariantCulture));
        Add(grid, "Memory", ByteSize.FormatMiB(vm.MemoryMiB));
        Add(grid, "Host", vm.HostId is null ? "(none)" : $"{vm.HostId} (its id there: {vm.HostLocalId})");
        Add(grid, "Folder", vm.FolderId);
        Add(grid, "HA restart priority", vm.RestartPriority);
        console.Write(grid);
    }

    public static void WriteDetails(IAnsiConsole console, VmDto vm)
    {
        var grid = new Grid().AddColumn().AddColumn();
        Add(grid, "Name", vm.Name);
        Add(grid, "Id", vm.Id);
        Add(grid, "UUID", vm.Uuid);
        Add(grid, "Power state", vm.PowerState);
        Add(grid, "CPUs", vm.Cpus.ToString(CultureInfo.InvariantCulture));
        Add(grid, "Memory", ByteSize.FormatMiB(vm.MemoryMiB));
        Add(grid, "Datastore", vm.Datastore);
        Add(grid, "Folder", vm.Folder);
        Add(grid, "Boot", DescribeBoot(vm.Boot));
        Add(grid, "HA", $"restart priority {vm.RestartPriority}, VM monitoring {(vm.VmMonitoring ? "on" : "off")}");
        if (vm.Template)
        {
            Add(grid, "Template", "yes (clone or deploy it; it is never powered on)");
        }

        if (vm.LinkedTemplateUuid is { } linked)
        {
            Add(grid, "Linked clone of", linked);
        }

        if (vm.Customized)
        {
            Add(grid, "Customization", "cloud-init seed attached");
        }

        if (vm.Boot.KernelArgs is { } args)
        {
            Add(grid, "Kernel args", args);
        }

        if (vm.GuestAgent)
        {
            Add(grid, "Guest agent", vm.GuestAgentStatus switch
            {
                null => "channel configured",
                { State: "running" } s => $"running (version {s.Version}{(s.HostName is null ? string.Empty : $", host name {s.HostName}")})",
                { LastSeenAt: { } seen } => $"not running (last answered {seen.ToString("u", CultureInfo.InvariantCulture)})",
                _ => "not running",
            });
        }

        if (vm.Acceleration is { } acceleration)
        {
            Add(grid, "Acceleration", acceleration);
        }

        if (vm.Pid is { } pid)
        {
            Add(grid, "PID", pid.ToString(CultureInfo.InvariantCulture));
        }

        if (vm.PoweredOnAt is { } at)
        {
            Add(grid, "Powered on at", at.ToString("u", CultureInfo.InvariantCulture));
        }

        console.Write(grid);

        if (vm.Disks.Count > 0)
        {
            var disks = new Table().AddColumns("Disk", "Size", "Format");
            foreach (var disk in vm.Disks)
            {
                disks.AddRow(Cell(disk.Path), Cell(ByteSize.Format(disk.SizeBytes)), Cell(disk.Format));
            }

            console.Write(disks);
        }

        if (vm.Nics.Count > 0)
        {
            var nics = new Table().AddColumns("NIC MAC", "Network");
            foreach (var nic in vm.Nics)
            {
                nics.AddRow(Cell(nic.Mac), Cell(nic.Network));
            }

            console.Write(nics);
        }
    }

    private static string DescribeBoot(VmBootDto boot) => boot.Kind switch
    {
        "kernel" => boot.Image is { } image ? $"kernel (image {image})" : $"kernel {boot.Kernel}",
        "cdrom" => $"cdrom {boot.Iso}",
        _ => boot.Image is { } diskImage ? $"{boot.Kind} (image {diskImage})" : boot.Kind,
    };

    private static void Add(Grid grid, string label, string value) => grid.AddRow(new Text(label + ":"), new Text(value));

    private static Text Cell(string value) => new Text(value);
}
