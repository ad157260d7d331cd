using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary><c>vm reconfigure NAME …</c>: changes only what is given; the VM must be powered off.</summary>
internal static class VmReconfigureCommand
{
    public static Command Create(CommandContext context)
    {
        var name = VmCommands.CreateNameArgument();
        var cpus = new Option<int?>("--cpus") { Description = "New number of virtual CPUs", HelpName = "N" }.AtLeast(1);
        var memory = new Option<long?>("--memory") { Description = "New memory size in MiB", HelpName = "MiB" }.AtLeast(1);
        var kernelArgs = new Option<string?>("--kernel-args") { Description = "New kernel command line", HelpName = "ARGS" };
        var addDisks = new Option<string[]>("--add-disk") { Description = "Add a new disk of this size (e.g. 1G); repeatable", HelpName = "SIZE" }.DiskSizes();
        var addNics = new Option<string[]>("--add-nic") { Description = "Add a NIC on this network; repeatable", HelpName = "NETWORK" };
        var removeCustomization = new Option<bool>("--remove-customization") { Description = "Detach and delete the guest customization (cloud-init) seed" };
        var guestAgent = new Option<string?>("--guest-agent") { Description = "Add or remove the QEMU guest agent channel", HelpName = "on|off" }
            .AcceptOnlyFromAmong("on", "off");
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("reconfigure", "Change a powered-off VM's CPUs, memory, kernel arguments, disks, NICs or guest agent channel")
        {
            name, cpus, memory, kernelArgs, addDisks, addNics, removeCustomization, guestAgent, noWait, json,
        };

        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var disks = parseResult.GetValue(addDisks) ?? [];
            var nics = parseResult.GetValue(addNics) ?? [];
            var request = new VmReconfigureRequest
            {
                Cpus = parseResult.GetValue(cpus),
                MemoryMiB = parseResult.GetValue(memory),
                KernelArgs = parseResult.GetValue(kernelArgs),
                AddDisks = disks.Length == 0 ? null : [.. disks.Select(size => new VmDiskRequest(Size: size))],
                AddNics = nics.Length == 0 ? null : [.. nics.Select(network => new VmNicRequest(Network: network))],
                RemoveCustomization = parseResult.GetValue(removeCustomization) ? true : null,
                GuestAgent = parseResult.GetValue(guestAgent) is { } agent ? agent == "on" : null,
            };

            if (request == new VmReconfigureRequest())
            {
                throw new CliUsageException("nothing to change: give at least one of --cpus, --memory, --kernel-args, --add-disk, --add-nic, --remove-customization, --guest-agent.");
            }

            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var id = await CenterLookup.VmIdAsync(client, parseResult.GetRequiredValue(name), ct);
                var response = await client.ReconfigureCenterVmAsync(id, request, ct);
                return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, vm => VmCommands.WriteVm(output, vm, asJson), ct);
            }

            VmCommands.RefuseNoWait(parseResult, noWait, client);
            VmCommands.WriteVm(output, await client.ReconfigureVmAsync(parseResult.GetRequiredValue(name), request, ct), asJson);
            return CliExitCodes.Success;
        });

        return command;
    }
}
