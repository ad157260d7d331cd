using System.CommandLine;
using System.Text.Json;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>vm clone</c>, <c>vm mark-template</c> and <c>template list|to-vm|deploy</c>, against a host agent (at once) or a
/// Center (tasks the CLI waits for). Guest customization options (<c>--hostname</c> and the rest) make the platform
/// attach a cloud-init NoCloud seed to the new VM.
/// </summary>
internal static class VmCloneCommands
{
    public static Command CreateClone(CommandContext context) =>
        CreateCloneCommand(context, "clone", "Copy a VM (running or not) or a template into a new VM: full copy, or --linked (delta disks on the source's images)", "source", "VM or template to copy");

    public static Command CreateMarkTemplate(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("mark-template", "Turn a powered-off VM into a template (cloned and deployed from, never powered on)") { vm, noWait, json };
        context.SetApiAction(command, (parseResult, client, output, ct) =>
            MarkAsync(context, client, output, parseResult.GetRequiredValue(vm), template: true, parseResult.GetValue(noWait), parseResult.GetValue(json), ct));
        return command;
    }

    public static Command CreateTemplate(CommandContext context) => new("template", "Templates: list, deploy a VM from one, turn one back into a VM")
    {
        CreateTemplateList(context),
        CreateCloneCommand(context, "deploy", "Deploy a new VM from a template (full copy, or --linked: copy-on-write on the template's disks)", "template", "Template name or id"),
        CreateToVm(context),
    };

    private static Command CreateTemplateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var command = new Command("list", "The templates (on a Center: every template it manages)") { json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var templates = await client.ListCenterTemplatesAsync(ct);
                if (asJson)
                {
                    output.WriteJson(templates);
                }
                else if (templates.Count == 0)
                {
                    output.WriteLine("No templates.");
                }
                else
                {
                    VmPresenter.WriteList(output.Ansi, templates);
                }

                return CliExitCodes.Success;
            }

            var local = (await client.ListVmsAsync(ct)).Where(v => v.Template).ToList();
            if (asJson)
            {
                output.WriteJson(local);
            }
            else if (local.Count == 0)
            {
                output.WriteLine("No templates.");
            }
            else
            {
                VmPresenter.WriteList(output.Ansi, local);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateToVm(CommandContext context)
    {
        var template = new Argument<string>("template") { Description = "Template name or id" };
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("to-vm", "Turn a template back into a VM (refused while linked clones depend on it)") { template, noWait, json };
        context.SetApiAction(command, (parseResult, client, output, ct) =>
            MarkAsync(context, client, output, parseResult.GetRequiredValue(template), template: false, parseResult.GetValue(noWait), parseResult.GetValue(json), ct));
        return command;
    }

    private static async Task<int> MarkAsync(CommandContext context, HyperionApiClient client, CliOutput output, string vm, bool template, bool noWait, bool json, CancellationToken ct)
    {
        var id = await VmIdAsync(client, vm, ct);
        var response = await client.MarkTemplateAsync(id, template, ct);
        return await context.CompleteAsync(client, output, response, noWait, json, after =>
        {
            if (json)
            {
                output.WriteJson(after);
            }
            else
            {
                output.WriteLine(template ? $"'{vm}' is now a template." : $"'{vm}' is now a virtual machine.");
            }
        }, ct);
    }

    private static Command CreateCloneCommand(CommandContext context, string verb, string description, string sourceName, string sourceDescription)
    {
        var source = new Argument<string>(sourceName) { Description = sourceDescription };
        var name = new Argument<string>("name") { Description = "Name of the new VM" };
        var linked = new Option<bool>("--linked") { Description = "Linked clone: copy-on-write overlays on the source's images (instant, on its datastore; a running VM goes on on a delta disk)" };
        var host = new Option<string?>("--host") { Description = "Center only: the host for the new VM (another host needs a datastore both mount)", HelpName = "HOST" };
        var datastore = new Option<string?>("--datastore") { Description = "Datastore for the new VM (default: the source's)", HelpName = "DATASTORE" };
        var folder = new Option<string?>("--folder") { Description = "Center only: VM folder (id or inventory path) for the new VM", HelpName = "FOLDER" };
        var powerOn = new Option<bool>("--power-on") { Description = "Power the new VM on" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Full clone of the VM as it was at this snapshot (name or id)", HelpName = "SNAPSHOT" };
        var customization = new CustomizationOptions();
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command(verb, description) { source, name, linked, host, datastore, folder, powerOn, snapshot, noWait, json };
        customization.AddTo(command);
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var from = parseResult.GetRequiredValue(source);
            var newName = parseResult.GetRequiredValue(name);
            var customize = customization.Read(parseResult);
            var asJson = parseResult.GetValue(json);
            OperationResponse<JsonElement> response;
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                var folderValue = parseResult.GetValue(folder);
                var request = new CenterVmCloneRequest(newName)
                {
                    Host = parseResult.GetValue(host),
                    Datastore = parseResult.GetValue(datastore),
                    Folder = folderValue is null ? null : (await CenterLookup.ObjectAsync(client, folderValue, ct)).Id,
                    Linked = parseResult.GetValue(linked),
                    Snapshot = parseResult.GetValue(snapshot),
                    PowerOn = parseResult.GetValue(powerOn),
                    Customization = customize,
                };
                response = await client.CloneVmAsync(await CenterLookup.VmIdAsync(client, from, ct), request, ct);
            }
            else
            {
                if (parseResult.GetValue(host) is not null || parseResult.GetValue(folder) is not null)
                {
                    throw new CliUsageException("--host and --folder need a Center; a host agent clones onto itself.");
                }

                var request = new VmCloneRequest(newName)
                {
                    Datastore = parseResult.GetValue(datastore),
                    Linked = parseResult.GetValue(linked),
                    Snapshot = parseResult.GetValue(snapshot),
                    PowerOn = parseResult.GetValue(powerOn),
                    Customization = customize,
                };
                response = await client.CloneVmAsync(from, request, ct);
            }

            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, created =>
            {
                if (asJson)
                {
                    output.WriteJson(created);
                    return;
                }

                var id = created.ValueKind == JsonValueKind.Object && created.TryGetProperty("id", out var i) ? i.GetString() : null;
                var state = created.ValueKind == JsonValueKind.Object && created.TryGetProperty("powerState", out var p) ? p.GetString() : null;
                output.WriteLine($"{(parseResult.GetValue(linked) ? "linked clone" : "clone")} '{newName}'{(id is null ? string.Empty : $" ({id})")} created from '{from}'{(state is null ? string.Empty : $", {state}")}");
            }, ct);
        });
        return command;
    }

    /// <summary>The VM as the server names it in paths: a host agent takes the name, a Center its id.</summary>
    private static async Task<string> VmIdAsync(HyperionApiClient client, string vm, CancellationToken ct) =>
        await client.GetProductAsync(ct) == ServerProduct.Center ? await CenterLookup.VmIdAsync(client, vm, ct) : vm;

    /// <summary>The guest customization options; any of them given means "customize", and then --hostname is required.</summary>
    private sealed class CustomizationOptions
    {
        private readonly Option<string?> _hostname = new("--hostname") { Description = "Customize: the guest's hostname (cloud-init NoCloud seed)", HelpName = "NAME" };
        private readonly Option<string?> _user = new("--user") { Description = "Customize: a user to create (sudo, SSH keys)", HelpName = "USER" };
        private readonly Option<string?> _password = new("--password") { Description = "Customize: the user's password", HelpName = "PASSWORD" };
        private readonly Option<string[]> _sshKeys = new("--ssh-key") { Description = "Customize: an SSH public key, or @FILE to read one per line (repeatable)", HelpName = "KEY", AllowMultipleArgumentsPerToken = false };
        private readonly Option<string?> _ip = new("--ip") { Description = "Customize: static address in CIDR form (default: DHCP)", HelpName = "CIDR" };
        private readonly Option<string?> _gateway = new("--gateway") { Description = "Customize: default gateway (with --ip)", HelpName = "ADDRESS" };
        private readonly Option<string[]> _dns = new("--dns") { Description = "Customize: DNS server (with --ip; repeatable)", HelpName = "ADDRESS" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _hostname, _user, _password, _sshKeys, _ip, _gateway, _dns })
            {
                command.Options.Add(option);
            }
        }

        public GuestCustomizationDto? Read(ParseResult parseResult)
        {
            var hostname = parseResult.GetValue(_hostname);
            var keys = parseResult.GetValue(_sshKeys) ?? [];
            var dns = parseResult.GetValue(_dns) ?? [];
            var others = parseResult.GetValue(_user) is not null || parseResult.GetValue(_password) is not null || keys.Length > 0
                || parseResult.GetValue(_ip) is not null || parseResult.GetValue(_gateway) is not null || dns.Length > 0;
            if (hostname is null)
            {
                return others ? throw new CliUsageException("guest customization needs --hostname (with --user, --ssh-key, --ip … )") : null;
            }

            return new GuestCustomizationDto(hostname)
            {
                User = parseResult.GetValue(_user),
                Password = parseResult.GetValue(_password),
                SshAuthorizedKeys = keys.SelectMany(ReadKeys).ToList(),
                Network = parseResult.GetValue(_ip) is null && parseResult.GetValue(_gateway) is null && dns.Length == 0
                    ? null
                    : new GuestNetworkDto { Address = parseResult.GetValue(_ip), Gateway = parseResult.GetValue(_gateway), DnsServers = dns.Length == 0 ? null : dns },
            };
        }

        private static IEnumerable<string> ReadKeys(string value)
        {
            if (!value.StartsWith('@'))
            {
                return [value];
            }

            var path = value[1..];
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--ssh-key {value}: no file '{path}'");
            }

            return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        }
    }
}
