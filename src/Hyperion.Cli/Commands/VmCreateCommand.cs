using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary><c>vm create NAME --cpus N --memory MiB …</c>.</summary>
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
        var powerOn = new Option<bool>("--power-on") { Description = "Power the VM on once it is created" };
        var json = CommandContext.CreateJsonOption();

        var command = new Command("create", "Create a VM (and optionally power it on)")
        {
            name, cpus, memory, disks, image, kernel, initrd, kernelArgs, iso, nics, datastore, powerOn, json,
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
            };

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
