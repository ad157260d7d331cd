using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>host …</c>: a plain command so the executable can add role verbs such as <c>host serve</c>. On a host agent
/// <c>host info</c> describes that host; on a Center the verbs manage its hosts.
/// </summary>
internal static class HostCommands
{
    public static Command Create(CommandContext context) =>
        new("host", "Hypervisor hosts: the one you are connected to, or a Center's")
        {
            CreateInfo(context),
            CreateList(context),
            HostAddCommand.Create(context),
            CreateRemove(context),
        };

    /// <summary>Prints a Center host: details or JSON.</summary>
    public static void WriteHost(CliOutput output, HostDto? host, bool json)
    {
        if (host is null)
        {
            return;
        }

        if (json)
        {
            output.WriteJson(host);
        }
        else
        {
            HostPresenter.WriteDetails(output.Ansi, host);
        }
    }

    private static Command CreateInfo(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = new Argument<string?>("host") { Description = "On a Center: the host's id, name or address", Arity = ArgumentArity.ZeroOrOne };
        var info = new Command("info", "Show the host: CPU, memory, acceleration, datastores, certificate fingerprint (on a Center: one of its hosts)") { name, json };
        context.SetApiAction(info, async (parseResult, client, output, ct) =>
        {
            var asJson = parseResult.GetValue(json);
            var given = parseResult.GetValue(name);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                if (given is null)
                {
                    throw new CliUsageException("on a Center, say which host: 'hyperion host info HOST' (see 'hyperion host list').");
                }

                WriteHost(output, await client.GetCenterHostAsync(await CenterLookup.HostIdAsync(client, given, ct), ct), asJson);
                return CliExitCodes.Success;
            }

            if (given is not null)
            {
                throw new CliUsageException($"a host agent describes only itself: drop '{given}'.");
            }

            var host = await client.GetHostAsync(ct);
            if (asJson)
            {
                output.WriteJson(host);
            }
            else
            {
                HostPresenter.WriteDetails(output.Ansi, host);
            }

            return CliExitCodes.Success;
        });
        return info;
    }

    private static Command CreateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var list = new Command("list", "List the Center's hosts with their connection state") { json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var hosts = await client.ListCenterHostsAsync(ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(hosts);
            }
            else
            {
                HostPresenter.WriteList(output.Ansi, hosts);
            }

            return CliExitCodes.Success;
        });
        return list;
    }

    private static Command CreateRemove(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var noWait = CommandContext.CreateNoWaitOption();
        var name = new Argument<string>("host") { Description = "The host's id, name or address" };
        var remove = new Command("remove", "Remove a host and its VMs from the Center's inventory (nothing changes on the host)") { name, noWait, json };
        context.SetApiAction(remove, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var given = parseResult.GetRequiredValue(name);
            var id = await CenterLookup.HostIdAsync(client, given, ct);
            var asJson = parseResult.GetValue(json);
            return await context.CompleteAsync<HostDto>(
                client,
                output,
                await client.RemoveHostAsync(id, ct),
                parseResult.GetValue(noWait),
                asJson,
                _ =>
                {
                    if (!asJson)
                    {
                        output.WriteLine($"Removed host '{given}' ({id}) from the inventory; its VMs keep running on it.");
                    }
                },
                ct);
        });
        return remove;
    }
}
