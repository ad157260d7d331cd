using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>vm create NAME --cpus N --memory MiB …</c>. On a Center it also takes the placement (<c>--host</c> or
/// <c>--cluster</c>, <c>--folder</c>) and runs as a task.
/// </summary>
internal static class VmCreateCommand
{
    public static Command Create(CommandContext context)
    {
        var name = new Argument<string>("name") { Description = "Name of the new VM" };
        var cpus = new Option<int?>("--cpus") { Description = "Virtual CPUs", HelpName = "N", Required = true }.AtLeast(1);
        var memory = new Option<long?>("--memory") { Description = "Memory in MiB", HelpName = "MiB", Required = true }.AtLeast(1);
        var disks = new Option<string[]>("--disk")
        {
            Description = "Add a new disk of this size (e.g. 1G); repeat for more disks",
            HelpName = "SIZE",
        }.DiskSizes();
        var image = new Option<string?>("--image")
        {
            Description = "Boot a built-in image (tiny), or an image at an absolute PATH on the host: an .iso boots as a CD-ROM, anything else is imported as the boot disk",
            HelpName = "tiny|PATH",
        };
        var kernel = new Option<string?>("--kernel") { Description = "Boot this kernel directly", HelpName = "PATH" };
        var initrd = new Option<string?>("--initrd") { Description = "Initial ramdisk for --kernel", HelpName = "PATH" };
        var kernelArgs = new Option<string?>("--kernel-args") { Description = "Kernel command line", HelpName = "ARGS" };
        var iso = new Option<string?>("--iso") { Description = "Attach this ISO as a CD-ROM and boot from it", HelpName = "PATH" };
        var nics = new Option<string[]>("--nic")
        {
            Description = "Add a NIC on this network (none, user or a host bridge); repeat for more NICs",
            HelpName = "NETWORK",
        };
        var datastore = new Option<string?>("--datastore") { Description = "Datastore for the VM folder (the host's default when omitted)", HelpName = "NAME" };
        var guestAgent = new Option<bool>("--guest-agent") { Description = "Add the QEMU guest agent channel (for qemu-ga in the guest: status, and HA VM monitoring's heartbeat)" };
        var powerOn = new Option<bool>("--power-on") { Description = "Power the VM on once it is created" };
        var host = new Option<string?>("--host") { Description = "On a Center: create the VM on this host (id or address)", HelpName = "HOST" };
        var cluster = new Option<string?>("--cluster") { Description = "On a Center: let it pick a host in this cluster (name or id)", HelpName = "CLUSTER" };
        var folder = new Option<string?>("--folder")
        {
            Description = "On a Center: the VM folder (path such as /DC1/vm/web, or id); the datacenter's VM folder when omitted",
            HelpName = "FOLDER",
        };
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();

        var command = new Command("create", "Create a VM (and optionally power it on)")
        {
            name, cpus, memory, disks, image, kernel, initrd, kernelArgs, iso, nics, datastore, guestAgent, powerOn, host, cluster, folder, noWait, json,
        };

        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var request = BuildRequest(
                parseResult.GetRequiredValue(name),
                parseResult.GetValue(cpus) ?? 1,
                parseResult.GetValue(memory) ?? 128,
                parseResult.GetValue(disks) ?? [],
                parseResult.GetValue(image),
                parseResult.GetValue(nics) ?? []) with
            {
                Kernel = parseResult.GetValue(kernel),
                Initrd = parseResult.GetValue(initrd),
                KernelArgs = parseResult.GetValue(kernelArgs),
                Iso = parseResult.GetValue(iso),
                Datastore = parseResult.GetValue(datastore),
                GuestAgent = parseResult.GetValue(guestAgent),
            };

            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var placement = new CenterVmCreateRequest
                {
                    Host = parseResult.GetValue(host),
                    Cluster = parseResult.GetValue(cluster),
                    Folder = parseResult.GetValue(folder) is { } f ? (await CenterLookup.ObjectAsync(client, f, ct)).Id : null,
                    Spec = request,
                };
                return await CreateOnCenterAsync(context, client, output, placement, parseResult.GetValue(powerOn), parseResult.GetValue(noWait), parseResult.GetValue(json), ct);
            }

            foreach (var centerOnly in new Option[] { host, cluster, folder })
            {
                if (parseResult.GetResult(centerOnly) is not null)
                {
                    throw CommandContext.CenterOnlyOption(centerOnly.Name, client);
                }
            }

            VmCommands.RefuseNoWait(parseResult, noWait, client);
            var vm = await client.CreateVmAsync(request, ct);
            if (parseResult.GetValue(powerOn))
            {
                try
                {
                    vm = await client.PowerAsync(vm.Id, VmPowerAction.PowerOn, ct);
                }
                catch (HyperionApiException)
                {
                    context.Console.Error.WriteLine($"VM '{vm.Name}' was created but did not power on.");
                    throw;
                }
            }

            VmCommands.WriteVm(output, vm, parseResult.GetValue(json));
            return CliExitCodes.Success;
        });

        return command;
    }

    private static async Task<int> CreateOnCenterAsync(
        CommandContext context, HyperionApiClient client, CliOutput output, CenterVmCreateRequest request, bool powerOn, bool noWait, bool json, CancellationToken ct)
    {
        if (noWait && powerOn)
        {
            throw new CliUsageException("--no-wait cannot be combined with --power-on: power the VM on once its create task has finished.");
        }

        var created = await client.CreateCenterVmAsync(request, ct);
        if (!powerOn)
        {
            return await context.CompleteAsync(client, output, created, noWait, json, vm => VmCommands.WriteVm(output, vm, json), ct);
        }

        CenterVmDto? createdVm = null;
        var exitCode = await context.CompleteAsync(client, output, created, noWait: false, json, vm => createdVm = vm, ct);
        if (exitCode != CliExitCodes.Success)
        {
            return exitCode;
        }

        if (createdVm is null)
        {
            throw new HyperionApiException($"the Center created VM '{request.Spec?.Name}' but did not say which it is; power it on with 'hyperion vm power-on'.");
        }

        exitCode = await context.CompleteAsync(
            client, output, await client.CenterVmActionAsync(createdVm.Id, VmPowerAction.PowerOn.ToPathSegment(), null, ct), noWait: false, json, vm => VmCommands.WriteVm(output, vm ?? createdVm, json), ct);
        if (exitCode == CliExitCodes.ServerRefused)
        {
            context.Console.Error.WriteLine($"VM '{createdVm.Name}' ({createdVm.Id}) was created but did not power on.");
        }

        return exitCode;
    }

    /// <summary>
    /// The request for the options given. <c>--image</c> is passed as given: the host resolves a built-in name
    /// (<c>tiny</c>), or an absolute path on the host to an ISO (booted as a CD-ROM) or a disk image (imported as the boot disk).
    /// </summary>
    public static VmCreateRequest BuildRequest(string name, int cpus, long memoryMiB, IReadOnlyList<string> diskSizes, string? image, IReadOnlyList<string> networks) =>
        new()
        {
            Name = name,
            Cpus = cpus,
            MemoryMiB = memoryMiB,
            Disks = [.. diskSizes.Select(size => new VmDiskRequest(Size: size))],
            Nics = [.. networks.Select(network => new VmNicRequest(Network: network))],
            Image = image,
        };
}
