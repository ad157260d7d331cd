using System.CommandLine;
using Hyperion.Cli.Output;

namespace Hyperion.Cli.Commands;

/// <summary><c>host …</c>: a plain command so the executable can add role verbs such as <c>host serve</c>.</summary>
internal static class HostCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var info = new Command("info", "Show the host: CPU, memory, acceleration, datastores, certificate fingerprint") { json };
        context.SetApiAction(info, async (parseResult, client, output, ct) =>
        {
            var host = await client.GetHostAsync(ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(host);
            }
            else
            {
                HostPresenter.WriteDetails(output.Ansi, host);
            }

            return CliExitCodes.Success;
        });

        return new Command("host", "Hypervisor host") { info };
    }
}
