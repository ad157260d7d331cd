using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts;

namespace Hyperion.Cli.Commands;

/// <summary>
/// What every verb shares: the console, the connection options, and one place that turns failures into
/// messages and exit codes, so a verb's action only does its work.
/// </summary>
internal sealed class CommandContext
{
    public CommandContext(CliConsole console, GlobalOptions options)
    {
        Console = console;
        Options = options;
    }

    public CliConsole Console { get; }

    public GlobalOptions Options { get; }

    public static Option<bool> CreateJsonOption() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>Sets <paramref name="command"/>'s action to one that talks to the server.</summary>
    public void SetApiAction(Command command, Func<ParseResult, HyperionApiClient, CliOutput, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, ct) =>
        {
            try
            {
                var settings = Options.Resolve(parseResult, Console);
                using var client = HyperionApiClient.Create(settings, Console);
                return await action(parseResult, client, new CliOutput(Console), ct);
            }
            catch (Exception ex) when (TryReport(ex, out var exitCode))
            {
                return exitCode;
            }
        });

    /// <summary>Sets an action that needs no server (it may still fail with a usage error).</summary>
    public void SetLocalAction(Command command, Func<ParseResult, CliOutput, int> action) =>
        command.SetAction(parseResult =>
        {
            try
            {
                return action(parseResult, new CliOutput(Console));
            }
            catch (Exception ex) when (TryReport(ex, out var exitCode))
            {
                return exitCode;
            }
        });

    /// <summary>Prints <c>error: …</c> for the failures the CLI understands and picks the exit code.</summary>
    public bool TryReport(Exception exception, out int exitCode)
    {
        switch (exception)
        {
            case HyperionApiException api:
                WriteProblem(api.Problem);
                exitCode = CliExitCodes.ServerRefused;
                return true;
            case HyperionConnectionException connection:
                Console.Error.WriteLine("error: " + connection.Message);
                exitCode = CliExitCodes.Connection;
                return true;
            case CliUsageException usage:
                Console.Error.WriteLine("error: " + usage.Message);
                exitCode = CliExitCodes.Usage;
                return true;
            default:
                exitCode = 0;
                return false;
        }
    }

    private void WriteProblem(ProblemDto problem)
    {
        var message = problem.Detail ?? problem.Title ?? "the server refused the request";
        Console.Error.WriteLine(problem.Code is null ? $"error: {message}" : $"error: {message} ({problem.Code})");
        foreach (var error in problem.Errors ?? [])
        {
            var field = error.Field is null ? string.Empty : error.Field + ": ";
            Console.Error.WriteLine($"  {field}{error.Message} ({error.Code})");
        }
    }
}
