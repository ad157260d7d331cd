using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Hyperion.Cli.Commands;

namespace Hyperion.Cli;

/// <summary>
/// The <c>hyperion</c> client verbs. The executable builds the tree with <see cref="CreateRootCommand"/>, may add
/// role verbs (e.g. <c>host serve</c>), then runs it with <see cref="InvokeAsync"/>.
/// </summary>
public static class CliApplication
{
    /// <summary>Name of the <c>host</c> command, to which the executable adds <c>serve</c>.</summary>
    public const string HostCommandName = "host";

    /// <summary>The root command with every client verb and the recursive connection options.</summary>
    public static RootCommand CreateRootCommand(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var options = new GlobalOptions();
        var context = new CommandContext(console, options);
        var root = new RootCommand("Hyperion: virtualization on QEMU/KVM. Client verbs talk to a host agent's or a Center's REST API; the CLI asks which it is.");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(HostCommands.Create(context));
        root.Subcommands.Add(DatastoreCommands.Create(context));
        root.Subcommands.Add(VmCommands.Create(context));
        root.Subcommands.Add(VmCloneCommands.CreateTemplate(context));
        root.Subcommands.Add(LibraryCommands.Create(context));
        root.Subcommands.Add(EventCommands.Create(context));
        root.Subcommands.Add(DatacenterCommands.Create(context));
        root.Subcommands.Add(ClusterCommands.Create(context));
        root.Subcommands.Add(TaskCommands.Create(context));
        root.Subcommands.Add(UserCommands.Create(context));
        root.Subcommands.Add(PermissionCommands.Create(context));
        return root;
    }

    /// <summary>Builds the root command and runs <paramref name="args"/> against it.</summary>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct) =>
        InvokeAsync(CreateRootCommand(console), args, console, ct);

    /// <summary>
    /// Parses and invokes <paramref name="args"/> on <paramref name="rootCommand"/> (which may carry extra verbs),
    /// writing help and errors to <paramref name="console"/>. Parse errors exit with <see cref="CliExitCodes.Usage"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand rootCommand, string[] args, CliConsole console, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rootCommand);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        var parseResult = rootCommand.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync("error: " + error.Message);
            }

            await console.Error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' for usage.");
            return CliExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await parseResult.InvokeAsync(configuration, ct);
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Push(result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
