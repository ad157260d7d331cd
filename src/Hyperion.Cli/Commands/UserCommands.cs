using System.CommandLine;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary><c>user create NAME [--password P]</c> on a Center.</summary>
internal static class UserCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var name = new Argument<string>("name") { Description = "Name of the new user" };
        var password = new Option<string?>("--password")
        {
            Description = "The new user's password (asked for at a terminal when omitted); your own goes in HYPERION_PASSWORD or before 'user'",
            HelpName = "PASSWORD",
        };
        var create = new Command("create", "Create a Center user (grant it a role with 'permission add')") { name, password, json };
        context.SetApiAction(create, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var userName = parseResult.GetRequiredValue(name);
            var secret = parseResult.GetValue(password)
                ?? context.Console.Prompt?.Invoke($"Password for {userName}:", true)
                ?? throw new CliUsageException("give the new user's password with --password.");
            var asJson = parseResult.GetValue(json);
            return await context.CompleteAsync(client, output, await client.CreateUserAsync(new UserCreateRequest(userName, secret), ct), noWait: false, asJson, user =>
            {
                if (asJson)
                {
                    output.WriteJson(user);
                }
                else
                {
                    output.WriteLine($"Created user '{user?.Name ?? userName}'.");
                }
            }, ct);
        });

        return new Command("user", "Center users") { create };
    }
}
