using System.CommandLine;
using System.CommandLine.Parsing;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Cli.Tasks;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;

namespace Hyperion.Cli.Commands;

/// <summary>
/// What every verb shares: the console, the connection options, which server it talks to, following Center tasks,
/// and one place that turns failures into messages and exit codes, so a verb's action only does its work.
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

    /// <summary><c>--no-wait</c> for verbs that run as a Center task.</summary>
    public static Option<bool> CreateNoWaitOption() =>
        new("--no-wait") { Description = "On a Center: print the task id (the task with --json) at once instead of waiting for the task" };

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
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C before an answer came back: whatever the server was asked may still happen.
                Console.Error.WriteLine("error: interrupted; the server may still carry out the request.");
                return CliExitCodes.Interrupted;
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

    /// <summary>Refuses (exit 1) unless <paramref name="client"/> talks to a Center.</summary>
    public static async Task RequireCenterAsync(ParseResult parseResult, HyperionApiClient client, CancellationToken ct)
    {
        if (await client.GetProductAsync(ct) != ServerProduct.Center)
        {
            throw new CliWrongServerException(
                $"'{CommandPath(parseResult)}' needs a Center, but {client.Server.Authority} is a host agent; point --server (or HYPERION_SERVER) at the Center.");
        }
    }

    /// <summary>Refuses (exit 1) unless <paramref name="client"/> talks to a host agent; <paramref name="hint"/> says what to do on a Center.</summary>
    public static async Task RequireHostAsync(ParseResult parseResult, HyperionApiClient client, string? hint, CancellationToken ct)
    {
        if (await client.GetProductAsync(ct) != ServerProduct.Host)
        {
            var message = $"'{CommandPath(parseResult)}' works on a host agent, but {client.Server.Authority} is a Center";
            throw new CliWrongServerException(hint is null ? message + "." : $"{message}; {hint}");
        }
    }

    /// <summary>Refuses (exit 1) an option that only a Center understands when talking to a host agent.</summary>
    public static CliWrongServerException CenterOnlyOption(string option, HyperionApiClient client) =>
        new($"{option} needs a Center, but {client.Server.Authority} is a host agent (whose operations finish before it answers).");

    /// <summary>
    /// Finishes a Center operation: prints what was done at once, or with <paramref name="noWait"/> the task id (the
    /// task with <paramref name="json"/>), or else waits for the task and prints its result (exit 0) or its error (exit 1).
    /// Ctrl-C while waiting leaves the task running and says so.
    /// </summary>
    /// <param name="print">Prints the operation's object (null for a deletion) for people or as JSON.</param>
    public async Task<int> CompleteAsync<T>(
        HyperionApiClient client,
        CliOutput output,
        OperationResponse<T> response,
        bool noWait,
        bool json,
        Action<T?> print,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(print);
        if (response.Task is not { } task)
        {
            print(response.Value);
            return CliExitCodes.Success;
        }

        if (noWait)
        {
            if (json)
            {
                output.WriteJson(task);
            }
            else
            {
                output.WriteLine(task.Id);
            }

            return CliExitCodes.Success;
        }

        var done = await WaitAsync(client, output, task, json, ct);
        if (done is null)
        {
            return CliExitCodes.Interrupted;
        }

        if (done.State != TaskStateNames.Success)
        {
            WriteTaskFailure(done);
            return CliExitCodes.ServerRefused;
        }

        print(TaskWaiter.ResultOf<T>(done));
        return CliExitCodes.Success;
    }

    /// <summary>Waits for <paramref name="task"/>; null when Ctrl-C stopped the waiting (the message is printed).</summary>
    public async Task<TaskDto?> WaitAsync(HyperionApiClient client, CliOutput output, TaskDto task, bool quiet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await new TaskWaiter(client, Console, output).WaitAsync(task, quiet, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Stopped waiting: task {task.Id} ({TaskWaiter.Describe(task)}) goes on on the Center; follow it with 'hyperion task info {task.Id}'.");
            return null;
        }
    }

    /// <summary><c>error: … (code)</c> for a task that ended in error or was cancelled.</summary>
    public void WriteTaskFailure(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var what = task.State == TaskStateNames.Cancelled ? "was cancelled" : "failed";
        var reason = task.Error is { } error ? $": {error.Message} ({error.Code})" : string.Empty;
        Console.Error.WriteLine($"error: task {task.Id} ({TaskWaiter.Describe(task)}) {what}{reason}");
    }

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
            case CliWrongServerException wrongServer:
                Console.Error.WriteLine("error: " + wrongServer.Message);
                exitCode = CliExitCodes.ServerRefused;
                return true;
            default:
                exitCode = 0;
                return false;
        }
    }

    /// <summary><c>host add</c> for the command being run.</summary>
    public static string CommandPath(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult; result is { Parent: not null }; result = result.Parent as CommandResult)
        {
            names.Push(result.Command.Name);
        }

        return string.Join(' ', names);
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
