using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>vm …</c>: the VM lifecycle verbs. Against a host agent they act at once; against a Center they name VMs by the
/// Center's id (<c>vm-42</c>) or a name it resolves, and the operations run as tasks the CLI waits for.
/// </summary>
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
            VmHaCommand.Create(context),
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
            VmMigrateCommand.Create(context),
            VmSnapshotCommands.Create(context),
            VmCloneCommands.CreateClone(context),
            VmCloneCommands.CreateMarkTemplate(context),
            LibraryCommands.CreateExport(context),
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

    /// <summary>Prints a Center VM after an operation: full details or JSON.</summary>
    public static void WriteVm(CliOutput output, CenterVmDto? vm, bool json)
    {
        if (vm is null)
        {
            return;
        }

        if (json)
        {
            output.WriteJson(vm);
        }
        else
        {
            VmPresenter.WriteDetails(output.Ansi, vm);
        }
    }

    /// <summary>Runs a power operation through a Center: resolve the VM, start the task, wait and print the state.</summary>
    public static async Task<int> RunCenterActionAsync(
        CommandContext context, HyperionApiClient client, CliOutput output, string vm, string action, object? body, bool noWait, bool json, CancellationToken ct)
    {
        var id = await CenterLookup.VmIdAsync(client, vm, ct);
        var response = await client.CenterVmActionAsync(id, action, body, ct);
        return await context.CompleteAsync(client, output, response, noWait, json, result => WriteState(output, result, vm, json), ct);
    }

    private static Command CreateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the VMs on the host (on a Center: every VM it manages)") { json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var centerVms = await client.ListCenterVmsAsync(null, ct);
                if (asJson)
                {
                    output.WriteJson(centerVms);
                }
                else
                {
                    VmPresenter.WriteList(output.Ansi, centerVms);
                }

                return CliExitCodes.Success;
            }

            var vms = await client.ListVmsAsync(ct);
            if (asJson)
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
            var vm = parseResult.GetRequiredValue(name);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                WriteVm(output, await client.GetCenterVmAsync(await CenterLookup.VmIdAsync(client, vm, ct), ct), parseResult.GetValue(json));
                return CliExitCodes.Success;
            }

            WriteVm(output, await client.GetVmAsync(vm, ct), parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return info;
    }

    private static Command CreatePower(CommandContext context, VmPowerAction action, string description)
    {
        var json = CommandContext.CreateJsonOption();
        var noWait = CommandContext.CreateNoWaitOption();
        var name = CreateNameArgument();
        var command = new Command(action.ToPathSegment(), description) { name, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = parseResult.GetRequiredValue(name);
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                return await RunCenterActionAsync(context, client, output, vm, action.ToPathSegment(), null, parseResult.GetValue(noWait), asJson, ct);
            }

            RefuseNoWait(parseResult, noWait, client);
            WriteState(output, await client.PowerAsync(vm, action, ct), asJson);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShutdown(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var noWait = CommandContext.CreateNoWaitOption();
        var name = CreateNameArgument();
        var timeout = new Option<int?>("--timeout")
        {
            Description = "Seconds to wait for the guest to power off (the host's default when omitted)",
            HelpName = "SECONDS",
        }.AtLeast(0);
        var command = new Command("shutdown", "Ask the guest OS to shut down (ACPI power button) and wait for it") { name, timeout, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = parseResult.GetRequiredValue(name);
            var seconds = parseResult.GetValue(timeout);
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var body = seconds is null ? null : new VmShutdownRequest(seconds);
                return await RunCenterActionAsync(context, client, output, vm, "shutdown", body, parseResult.GetValue(noWait), asJson, ct);
            }

            RefuseNoWait(parseResult, noWait, client);
            WriteState(output, await client.ShutdownVmAsync(vm, seconds, ct), asJson);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDelete(CommandContext context)
    {
        var name = CreateNameArgument();
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("delete", "Delete a powered-off VM and its files") { name, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var vm = parseResult.GetRequiredValue(name);
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var id = await CenterLookup.VmIdAsync(client, vm, ct);
                return await context.CompleteAsync(client, output, await client.DeleteCenterVmAsync(id, ct), parseResult.GetValue(noWait), asJson, _ =>
                {
                    if (!asJson)
                    {
                        output.WriteLine($"Deleted VM '{vm}'.");
                    }
                }, ct);
            }

            RefuseNoWait(parseResult, noWait, client);
            await client.DeleteVmAsync(vm, ct);
            if (!asJson)
            {
                output.WriteLine($"Deleted VM '{vm}'.");
            }

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
            await CommandContext.RequireHostAsync(parseResult, client, "connect to the VM's host to unregister it.", ct);
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
            await CommandContext.RequireHostAsync(parseResult, client, "register it on its host; the Center picks it up from there.", ct);
            var request = new VmRegisterRequest(parseResult.GetRequiredValue(datastore), parseResult.GetRequiredValue(path));
            WriteVm(output, await client.RegisterVmAsync(request, ct), parseResult.GetValue(json));
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>A host agent answers once the operation is done: there is no task to leave running.</summary>
    public static void RefuseNoWait(System.CommandLine.ParseResult parseResult, Option<bool> noWait, HyperionApiClient client)
    {
        if (parseResult.GetValue(noWait))
        {
            throw CommandContext.CenterOnlyOption("--no-wait", client);
        }
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

    private static void WriteState(CliOutput output, CenterVmDto? vm, string given, bool json)
    {
        if (json)
        {
            if (vm is not null)
            {
                output.WriteJson(vm);
            }
        }
        else
        {
            output.WriteLine(vm is null ? $"Done: VM '{given}'." : $"VM '{vm.Name}' is {vm.PowerState}.");
        }
    }
}
