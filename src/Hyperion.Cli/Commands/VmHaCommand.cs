using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Contracts.Ha;

namespace Hyperion.Cli.Commands;

/// <summary><c>vm ha NAME [--restart-priority P] [--monitoring on|off]</c>: the VM's HA overrides, in any power state.</summary>
internal static class VmHaCommand
{
    public static Command Create(CommandContext context)
    {
        var name = VmCommands.CreateNameArgument();
        var priority = new Option<string?>("--restart-priority") { Description = "HA restart priority; disabled: not protected", HelpName = "PRIORITY" }
            .AcceptOnlyFromAmong([.. HaRestartPriorities.All]);
        var monitoring = new Option<string?>("--monitoring") { Description = "VM monitoring: restart it when its QEMU dies or its guest stops", HelpName = "on|off" }
            .AcceptOnlyFromAmong("on", "off");
        var timeout = new Option<int?>("--heartbeat-timeout") { Description = "VM monitoring's failure interval: reset the guest after this many seconds without a heartbeat (5-3600, default 30)", HelpName = "SECONDS" };
        var json = CommandContext.CreateJsonOption();
        var command = new Command("ha", "Set a VM's HA restart priority and VM monitoring") { name, priority, monitoring, timeout, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var request = new VmHaRequest(parseResult.GetValue(priority), parseResult.GetValue(monitoring) is { } on ? on == "on" : null, parseResult.GetValue(timeout));
            if (request is { RestartPriority: null, Monitoring: null, HeartbeatTimeoutSeconds: null })
            {
                throw new CliUsageException("nothing to change: give --restart-priority, --monitoring or --heartbeat-timeout.");
            }

            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var id = await CenterLookup.VmIdAsync(client, parseResult.GetRequiredValue(name), ct);
                VmCommands.WriteVm(output, await client.SetCenterVmHaAsync(id, request, ct), asJson);
                return CliExitCodes.Success;
            }

            VmCommands.WriteVm(output, await client.SetVmHaAsync(parseResult.GetRequiredValue(name), request, ct), asJson);
            return CliExitCodes.Success;
        });
        return command;
    }
}
