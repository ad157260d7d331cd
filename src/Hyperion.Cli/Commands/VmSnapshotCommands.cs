using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Vms;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>vm snapshot create|list|revert|delete</c>: a VM's snapshots, against a host agent (at once) or a Center (tasks
/// the CLI waits for). <c>list</c> prints the tree, the current snapshot marked.
/// </summary>
internal static class VmSnapshotCommands
{
    public static Command Create(CommandContext context) => new("snapshot", "A VM's snapshots: take, list (a tree), revert to, delete")
    {
        CreateTake(context), CreateList(context), CreateRevert(context), CreateDelete(context),
    };

    private static Argument<string> SnapshotArgument() => new("snapshot") { Description = "Snapshot name or id" };

    private static Command CreateTake(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var name = new Argument<string>("snapshot") { Description = "Name for the new snapshot" };
        var memory = new Option<bool>("--memory") { Description = "Include the running guest's memory (reverting resumes it exactly there)" };
        var description = new Option<string?>("--description") { Description = "What the snapshot is for", HelpName = "TEXT" };
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("create", "Take a snapshot of the VM's disks (and with --memory, of the running guest)") { vm, name, memory, description, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var id = await VmIdAsync(client, parseResult.GetRequiredValue(vm), ct);
            var request = new SnapshotCreateRequest(parseResult.GetRequiredValue(name)) { Memory = parseResult.GetValue(memory), Description = parseResult.GetValue(description) };
            var asJson = parseResult.GetValue(json);
            var response = await client.CreateSnapshotAsync(id, request, ct);
            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, snapshot =>
            {
                if (snapshot is null)
                {
                    return;
                }

                if (asJson)
                {
                    output.WriteJson(snapshot);
                }
                else
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot '{snapshot.Name}' (id {snapshot.Id}) taken: {(snapshot.Memory ? "disks and memory" : "disks")}"));
                }
            }, ct);
        });
        return command;
    }

    private static Command CreateList(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("list", "The VM's snapshots as a tree; * marks the one its current state descends from") { vm, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var tree = await client.ListSnapshotsAsync(await VmIdAsync(client, parseResult.GetRequiredValue(vm), ct), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(tree);
            }
            else
            {
                WriteTree(output, tree);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRevert(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var snapshot = SnapshotArgument();
        var noWait = CommandContext.CreateNoWaitOption();
        var json = CommandContext.CreateJsonOption();
        var command = new Command("revert", "Return the VM to a snapshot (its current state is lost; a disk-only snapshot leaves it powered off)") { vm, snapshot, noWait, json };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var target = parseResult.GetRequiredValue(snapshot);
            var asJson = parseResult.GetValue(json);
            var response = await client.RevertSnapshotAsync(await VmIdAsync(client, parseResult.GetRequiredValue(vm), ct), target, ct);
            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), asJson, after =>
            {
                if (asJson)
                {
                    output.WriteJson(after);
                    return;
                }

                var state = after.ValueKind == JsonValueKind.Object && after.TryGetProperty("powerState", out var p) ? p.GetString() : null;
                output.WriteLine($"reverted to snapshot '{target}'{(state is null ? string.Empty : $": the VM is {state}")}");
            }, ct);
        });
        return command;
    }

    private static Command CreateDelete(CommandContext context)
    {
        var vm = VmCommands.CreateNameArgument();
        var snapshot = SnapshotArgument();
        var noWait = CommandContext.CreateNoWaitOption();
        var command = new Command("delete", "Delete a snapshot (the others, its children too, stay valid)") { vm, snapshot, noWait };
        context.SetApiAction(command, async (parseResult, client, output, ct) =>
        {
            var target = parseResult.GetRequiredValue(snapshot);
            var response = await client.DeleteSnapshotAsync(await VmIdAsync(client, parseResult.GetRequiredValue(vm), ct), target, ct);
            return await context.CompleteAsync(client, output, response, parseResult.GetValue(noWait), json: false, _ => output.WriteLine($"snapshot '{target}' deleted"), ct);
        });
        return command;
    }

    /// <summary>The VM as the server names it in paths: a host agent takes the name, a Center its id.</summary>
    private static async Task<string> VmIdAsync(HyperionApiClient client, string vm, CancellationToken ct) =>
        await client.GetProductAsync(ct) == ServerProduct.Center ? await CenterLookup.VmIdAsync(client, vm, ct) : vm;

    /// <summary>Children indented under their parent, oldest first; the current one marked with *.</summary>
    internal static void WriteTree(CliOutput output, SnapshotTreeDto tree)
    {
        if (tree.Snapshots.Count == 0)
        {
            output.WriteLine("no snapshots");
            return;
        }

        void Write(SnapshotDto snapshot, int depth)
        {
            var mark = snapshot.Id == tree.CurrentId ? "*" : " ";
            var kind = snapshot.Memory ? "memory" : "disks";
            var text = string.Create(CultureInfo.InvariantCulture, $"{mark} {new string(' ', depth * 2)}{snapshot.Name} (id {snapshot.Id}, {kind}, {snapshot.PowerState}, {snapshot.CreatedAt:yyyy-MM-dd HH:mm:ss}){(snapshot.Description is { } d ? $" — {d}" : string.Empty)}");
            output.WriteLine(text);
            foreach (var child in tree.Snapshots.Where(s => s.ParentId == snapshot.Id))
            {
                Write(child, depth + 1);
            }
        }

        foreach (var root in tree.Snapshots.Where(s => s.ParentId is null))
        {
            Write(root, 0);
        }
    }
}
