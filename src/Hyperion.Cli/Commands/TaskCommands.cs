using System.CommandLine;
using Hyperion.Cli.Output;

namespace Hyperion.Cli.Commands;

/// <summary><c>task list|info|cancel</c> on a Center.</summary>
internal static class TaskCommands
{
    public static Command Create(CommandContext context)
    {
        var task = new Command("task", "Center tasks: long operations, their progress and outcome")
        {
            CreateList(context),
            CreateInfo(context),
            CreateCancel(context),
        };
        return task;
    }

    private static Command CreateList(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var state = new Option<string?>("--state") { Description = "Only tasks in this state: queued, running, success, error, cancelled", HelpName = "STATE" };
        var target = new Option<string?>("--target") { Description = "Only tasks on this object (id)", HelpName = "ID" };
        var limit = new Option<int?>("--limit") { Description = "At most this many tasks (newest first); all when omitted", HelpName = "N" }.AtLeast(1);
        var list = new Command("list", "List recent tasks, newest first") { state, target, limit, json };
        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var tasks = await client.ListTasksAsync(parseResult.GetValue(state), parseResult.GetValue(target), parseResult.GetValue(limit), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(tasks);
            }
            else
            {
                TaskPresenter.WriteList(output.Ansi, tasks);
            }

            return CliExitCodes.Success;
        });
        return list;
    }

    private static Command CreateInfo(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var id = new Argument<string>("id") { Description = "Task id, e.g. task-12" };
        var info = new Command("info", "Show a task: state, progress, result or error") { id, json };
        context.SetApiAction(info, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var task = await client.GetTaskAsync(parseResult.GetRequiredValue(id), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(task);
            }
            else
            {
                TaskPresenter.WriteDetails(output.Ansi, task);
            }

            return CliExitCodes.Success;
        });
        return info;
    }

    private static Command CreateCancel(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var id = new Argument<string>("id") { Description = "Task id, e.g. task-12" };
        var cancel = new Command("cancel", "Ask the Center to cancel a queued or running task") { id, json };
        context.SetApiAction(cancel, async (parseResult, client, output, ct) =>
        {
            await CommandContext.RequireCenterAsync(parseResult, client, ct);
            var task = await client.CancelTaskAsync(parseResult.GetRequiredValue(id), ct);
            if (parseResult.GetValue(json))
            {
                output.WriteJson(task);
            }
            else
            {
                output.WriteLine($"Cancellation requested for {task.Id}; it is {task.State}.");
            }

            return CliExitCodes.Success;
        });
        return cancel;
    }
}
