using System.CommandLine;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary><c>permission add --user U --role R --object PATH</c> on a Center.</summary>
internal static class PermissionCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var user = new Option<string>("--user")
        {
            Description = "The user to grant the role to (connect as yourself with HYPERION_USER or --user before 'permission')",
            HelpName = "USER",
            Required = true,
        };
        var role = new Option<string>("--role") { Description = "Role name, e.g. Administrator, \"VM operator\", Read-only", HelpName = "ROLE", Required = true };
        var target = new Option<string>("--object")
        {
            Description = "Inventory path (/DC1, /DC1/host/Cluster1, /DC1/vm/web01) or id (vm-42)",
            HelpName = "PATH",
            Required = true,
        };
        var noPropagate = new Option<bool>("--no-propagate") { Description = "Apply to the object only, not to what it contains" };
        var add = new Command("add", "Grant a user a role on an inventory object (replaces the user's permission there)")
        {
            user, role, target, noPropagate, json,
        };
        context.SetApiAction(add, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var found = await CenterLookup.ObjectAsync(client, parseResult.GetRequiredValue(target), ct);
            var request = new PermissionCreateRequest(
                parseResult.GetRequiredValue(user),
                parseResult.GetRequiredValue(role),
                found.Id,
                !parseResult.GetValue(noPropagate));
            var asJson = parseResult.GetValue(json);
            return await context.CompleteAsync(client, output, await client.AddPermissionAsync(request, ct), noWait: false, asJson, permission =>
            {
                if (asJson)
                {
                    output.WriteJson(permission);
                    return;
                }

                var where = found.Path == found.Id ? found.Id : $"{found.Path} ({found.Id})";
                var scope = request.Propagate ? ", and what it contains" : " only";
                output.WriteLine($"Granted role '{request.Role}' to user '{request.User}' on {where}{scope}.");
            }, ct);
        });

        return new Command("permission", "Permissions: a user's role on an inventory object") { add };
    }
}
