using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary><c>vm …</c>: the VM lifecycle verbs.</summary>
internal static class VmCommands
{
    public static Command Create(CommandContext context)
    {
        var vm = new Command("vm", "Virtual machines")
        {
            VmCreateCommand.Create(context),
            CreateList(context),
            CreateInfo(context),
            VmReconfigureCommand.Create(context),
            CreatePower(context, VmPowerAction.PowerOn, "Power the VM on"),
            CreatePower(context, VmPowerAction.PowerOff, "Power the VM off at once, like pulling the plug"),
            CreatePower(context, VmPowerAction.Reset, "Reset the VM, like pressing its reset button"),
            CreatePower(context, VmPowerAction.Suspend, "Pause the VM's virtual CPUs"),
            CreatePower(context, VmPowerAction.Resume, "Resume a suspended VM"),
            CreateShutdown(context),
            CreateDelete(context),
            CreateUnregister(context),
            CreateRegister(context),
            VmConsoleCommand.Create(context),
        };
        return vm;
    }

    public static Argument<string> CreateNameArgument() => new("name") { Description = "VM name or id" };

    /// <summary>Prints a VM after an operation: full details or JSON.</summary>
    public static void WriteVm(CliOutput output, VmDto vm, bool json)
    {
        if (json)
        {
            output.WriteJson(vm);
        }
        else
        {
            VmPresenter.WriteDetails(output.Ansi, vm);
        }
    }

    private static Command CreateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the VMs on the host") { json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            var vms = await client.ListVmsAsync(ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(vms);
            }
            else
            {
                VmPresenter.WriteList(output.Ansi, vms);
            }

            return CliExitCodes.Success;
        });
        return list;
    }

    private static Command CreateInfo(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = CreateNameArgument();
        var info = new Command("info", "Show a VM's configuration and runtime state") { name, json };
        context.SetApiAction(info, async (parseResult, client, output, ct) =>
        {
            WriteVm(output, await client.GetVmAsync(parseResult.GetRequiredValue(name), ct), parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return info;
    }

    private static Command CreatePower(CommandContext context, VmPowerAction action, string description)
    {
        var json = CommandContext.CreateJsonOption();
        var name = CreateNameArgument();
        var command = new Command(action.ToPathSegment(), description) { name, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = await client.PowerAsync(parseResult.GetRequiredValue(name), action, ct);
            WriteState(output, vm, parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShutdown(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = CreateNameArgument();
        var timeout = new Option<int?>("--timeout")
        {
            Description = "Seconds to wait for the guest to power off (the host's default when omitted)",
            HelpName = "SECONDS",
        }.AtLeast(0);
        var command = new Command("shutdown", "Ask the guest OS to shut down (ACPI power button) and wait for it") { name, timeout, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = await client.ShutdownVmAsync(parseResult.GetRequiredValue(name), parseResult.GetValue(timeout), ct);
            WriteState(output, vm, parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDelete(CommandContext context)
    {
        var name = CreateNameArgument();
        var command = new Command("delete", "Delete a powered-off VM and its files") { name };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = parseResult.GetRequiredValue(name);
            await client.DeleteVmAsync(vm, ct);
            output.WriteLine($"Deleted VM '{vm}'.");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateUnregister(CommandContext context)
    {
        var name = CreateNameArgument();
        var command = new Command("unregister", "Remove a VM from the host's inventory, keeping its folder on the datastore") { name };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = parseResult.GetRequiredValue(name);
            await client.UnregisterVmAsync(vm, ct);
            output.WriteLine($"Unregistered VM '{vm}'; its files stay on the datastore.");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRegister(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var datastore = new Option<string>("--datastore") { Description = "Datastore that holds the VM folder", Required = true };
        var path = new Argument<string>("path") { Description = "VM folder, relative to the datastore" };
        var command = new Command("register", "Add an existing VM folder on a datastore to the inventory") { path, datastore, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var request = new VmRegisterRequest(parseResult.GetRequiredValue(datastore), parseResult.GetRequiredValue(path));
            WriteVm(output, await client.RegisterVmAsync(request, ct), parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static void WriteState(CliOutput output, VmDto vm, bool json)
    {
        if (json)
        {
            output.WriteJson(vm);
        }
        else
        {
            output.WriteLine($"VM '{vm.Name}' is {vm.PowerState}.");
        }
    }
}
