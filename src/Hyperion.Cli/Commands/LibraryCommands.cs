using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Library;
using Spectre.Console;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>library list|import|delete|deploy</c> and <c>vm export</c>: the content library (disk images of any format
/// qemu-img reads, ISOs, OVA packages) kept on a host's datastore, and OVA export of a powered-off VM. Against a
/// Center they reach every connected host (<c>--host</c> picks one when it is ambiguous) and a deploy is a task.
/// </summary>
internal static class LibraryCommands
{
    private static Option<string?> HostOption() => new("--host") { Description = "Center only: the host keeping the item (when several could)", HelpName = "HOST" };

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
            var name = parseResult.GetRequiredValue(vm);
            var id = await client.GetProductAsync(ct) == ServerProduct.Center ? await CenterLookup.VmIdAsync(client, name, ct) : name;
            var path = Path.GetFullPath(parseResult.GetRequiredValue(file));
            var partial = path + ".partial";
            try
            {
                long bytes;
                await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                {
                    bytes = await client.ExportVmAsync(id, stream, ct);
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
            var onCenter = await client.GetProductAsync(ct) == ServerProduct.Center;
            var centerItems = onCenter ? await client.ListCenterLibraryAsync(ct) : null;
            var hostItems = onCenter ? null : await client.ListLibraryAsync(ct);
            var items = centerItems?.Select(i => (Host: i.HostId, i.Item)).ToList() ?? hostItems!.Select(i => (Host: string.Empty, Item: i)).ToList();
            if (parseResult.GetValue(json))
            {
                if (centerItems is not null)
                {
                    output.WriteJson(centerItems);
                }
                else
                {
                    output.WriteJson(hostItems);
                }
            }
            else if (items.Count == 0)
            {
                output.WriteLine("The library is empty.");
            }
            else
            {
                var table = new Table().AddColumns(onCenter ? ["Name", "Type", "Size", "Host", "Datastore", "Source"] : ["Name", "Type", "Size", "Datastore", "Source"]);
                foreach (var (host, item) in items)
                {
                    string[] cells = [Markup.Escape(item.Name), item.Type, ByteSize.Format(item.Files.Sum(f => f.SizeBytes)), .. onCenter ? [host] : Array.Empty<string>(), Markup.Escape(item.Datastore), Markup.Escape(item.Source ?? string.Empty)];
                    table.AddRow(cells);
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
        var host = HostOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("import", "Upload a file into the library (disk images are kept as qcow2; an OVA becomes a VM template)") { file, name, type, datastore, host, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var path = parseResult.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"no file '{path}'");
            }

            var answer = await client.ImportLibraryItemAsync(path, parseResult.GetValue(name), parseResult.GetValue(type), parseResult.GetValue(datastore), parseResult.GetValue(host), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(answer);
            }
            else
            {
                var itemJson = answer.TryGetProperty("item", out var nested) ? nested : answer;
                var item = itemJson.Deserialize<LibraryItemDto>(Contracts.JsonDefaults.Options)!;
                var where = answer.TryGetProperty("hostAddress", out var address) ? $" of host {address.GetString()}" : string.Empty;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported '{item.Name}' ({item.Type}, {ByteSize.Format(item.Files.Sum(f => f.SizeBytes))}) on datastore {item.Datastore}{where}"));
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDelete(CommandContext context)
    {
        var item = new Argument<string>("item") { Description = "Item name" };
        var host = HostOption();
        var command = new Command("delete", "Delete a library item (refused while a VM uses it)") { item, host };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            await client.DeleteLibraryItemAsync(parseResult.GetRequiredValue(item), parseResult.GetValue(host), ct);
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
        var host = HostOption();
        var folder = new Option<string?>("--folder") { Description = "Center only: VM folder (id or inventory path) for the new VM", HelpName = "FOLDER" };
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("deploy", "Create a VM from a library item (disks copied; an ISO attached as its CD-ROM)") { item, name, cpus, memory, image, kernelArgs, disk, datastore, powerOn, host, folder, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
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
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var folderValue = parseResult.GetValue(folder);
                var centerRequest = new CenterLibraryDeployRequest(request)
                {
                    Host = parseResult.GetValue(host),
                    Folder = folderValue is null ? null : (await CenterLookup.ObjectAsync(client, folderValue, ct)).Id,
                };
                var response = await client.DeployCenterLibraryItemAsync(parseResult.GetRequiredValue(item), centerRequest, ct);
                return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, vm => VmCommands.WriteVm(output, vm, asJson), ct);
            }

            if (parseResult.GetValue(host) is not null || parseResult.GetValue(folder) is not null)
            {
                throw new CliUsageException("--host and --folder need a Center; a host agent deploys onto itself.");
            }

            VmCommands.RefuseNoWait(parseResult, noWait, client);
            VmCommands.WriteVm(output, await client.DeployLibraryItemAsync(parseResult.GetRequiredValue(item), request, ct), asJson);
            return CliExitCodes.Success;
        });
        return command;
    }
}
