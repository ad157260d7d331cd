using System.CommandLine;
using System.Globalization;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Library;
using Spectre.Console;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>library list|import|delete|deploy</c> and <c>vm export</c>: a host agent's content library (disk images of any
/// format qemu-img reads, ISOs, OVA packages) and OVA export of a powered-off VM.
/// </summary>
internal static class LibraryCommands
{
    private const string OnCenterHint = "connect to the host whose datastore keeps the library.";

    public static Command Create(CommandContext context) => new("library", "The host's content library: disk images, ISOs and OVA/OVF templates")
    {
        CreateList(context), CreateImport(context), CreateDelete(context), CreateDeploy(context),
    };

    public static Command CreateExport(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var file = new Argument<string>("file") { Description = "Where to write the OVA (e.g. web.ova)" };
        var command = new Command("export", "Export a powered-off VM as an OVA package (OVF 1.0, stream-optimized VMDK disks)") { vm, file };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, "connect to the VM's host to export it.", ct);
            var path = Path.GetFullPath(parseResult.GetRequiredValue(file));
            var partial = path + ".partial";
            try
            {
                long bytes;
                await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                {
                    bytes = await client.ExportVmAsync(parseResult.GetRequiredValue(vm), stream, ct);
                }

                File.Move(partial, path, overwrite: true);
                output.WriteLine($"exported '{parseResult.GetRequiredValue(vm)}' to {path} ({ByteSize.Format(bytes)})");
                return CliExitCodes.Success;
            }
            finally
            {
                File.Delete(partial);
            }
        });
        return command;
    }

    private static Command CreateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var command = new Command("list", "The library's items") { json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, OnCenterHint, ct);
            var items = await client.ListLibraryAsync(ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(items);
            }
            else if (items.Length == 0)
            {
                output.WriteLine("The library is empty.");
            }
            else
            {
                var table = new Table().AddColumns("Name", "Type", "Size", "Datastore", "Source");
                foreach (var item in items)
                {
                    table.AddRow(Markup.Escape(item.Name), item.Type, ByteSize.Format(item.Files.Sum(f => f.SizeBytes)), Markup.Escape(item.Datastore), Markup.Escape(item.Source ?? string.Empty));
                }

                output.Ansi.Write(table);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateImport(CommandContext context)
    {
        var file = new Argument<string>("file") { Description = "A disk image (qcow2, raw, vmdk, vdi, vhdx, vpc), an ISO or an OVA" };
        var name = new Option<string?>("--name") { Description = "Item name (default: the file name without extension)", HelpName = "NAME" };
        var type = new Option<string?>("--type") { Description = "disk, iso or ova (default: from the extension)", HelpName = "TYPE" };
        var datastore = new Option<string?>("--datastore") { Description = "Datastore for the item (default: the host's default)", HelpName = "DATASTORE" };
        var json = CommandContext.CreateJsonOption();
        var command = new Command("import", "Upload a file into the library (disk images are kept as qcow2; an OVA becomes a VM template)") { file, name, type, datastore, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, OnCenterHint, ct);
            var path = parseResult.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"no file '{path}'");
            }

            var item = await client.ImportLibraryItemAsync(path, parseResult.GetValue(name), parseResult.GetValue(type), parseResult.GetValue(datastore), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(item);
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported '{item.Name}' ({item.Type}, {ByteSize.Format(item.Files.Sum(f => f.SizeBytes))}) on datastore {item.Datastore}"));
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDelete(CommandContext context)
    {
        var item = new Argument<string>("item") { Description = "Item name" };
        var command = new Command("delete", "Delete a library item (refused while a VM uses it)") { item };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, OnCenterHint, ct);
            await client.DeleteLibraryItemAsync(parseResult.GetRequiredValue(item), ct);
            output.WriteLine($"library item '{parseResult.GetRequiredValue(item)}' deleted");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDeploy(CommandContext context)
    {
        var item = new Argument<string>("item") { Description = "Item name" };
        var name = new Argument<string>("name") { Description = "Name of the new VM" };
        var cpus = new Option<int?>("--cpus") { Description = "vCPUs (default: the OVF's, else 1)", HelpName = "N" }.AtLeast(1);
        var memory = new Option<long?>("--memory") { Description = "Memory in MiB (default: the OVF's, else 512)", HelpName = "MiB" }.AtLeast(1);
        var image = new Option<string?>("--image") { Description = "Boot the built-in 'tiny' guest with the item's disks as data disks", HelpName = "IMAGE" };
        var kernelArgs = new Option<string?>("--kernel-args") { Description = "Kernel command line (with --image tiny)", HelpName = "ARGS" };
        var disk = new Option<string?>("--disk") { Description = "Also add a new empty disk of this size (e.g. for an installer ISO)", HelpName = "SIZE" };
        var datastore = new Option<string?>("--datastore") { Description = "Datastore for the VM (default: the item's)", HelpName = "DATASTORE" };
        var powerOn = new Option<bool>("--power-on") { Description = "Power the VM on" };
        var json = CommandContext.CreateJsonOption();
        var command = new Command("deploy", "Create a VM from a library item (disks copied; an ISO attached as its CD-ROM)") { item, name, cpus, memory, image, kernelArgs, disk, datastore, powerOn, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireHostAsync(parseResult, client, OnCenterHint, ct);
            var request = new LibraryDeployRequest(parseResult.GetRequiredValue(name))
            {
                Cpus = parseResult.GetValue(cpus),
                MemoryMiB = parseResult.GetValue(memory),
                Image = parseResult.GetValue(image),
                KernelArgs = parseResult.GetValue(kernelArgs),
                DiskSize = parseResult.GetValue(disk),
                Datastore = parseResult.GetValue(datastore),
                PowerOn = parseResult.GetValue(powerOn),
            };
            VmCommands.WriteVm(output, await client.DeployLibraryItemAsync(parseResult.GetRequiredValue(item), request, ct), parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return command;
    }
}
