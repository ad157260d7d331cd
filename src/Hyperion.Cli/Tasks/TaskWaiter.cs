using System.Globalization;
using System.Text.Json;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Spectre.Console;

namespace Hyperion.Cli.Tasks;

/// <summary>
/// Follows a Center task to its end by polling <c>GET /api/tasks/{id}</c> every <see cref="CliConsole.TaskPollInterval"/>
/// (on the console's <see cref="TimeProvider"/>), showing progress as a Spectre.Console bar when stdout is a terminal,
/// as one line on stderr per change otherwise, and not at all when <c>quiet</c> (for <c>--json</c>).
/// Cancelling the token stops the waiting only; the task goes on on the Center.
/// </summary>
internal sealed class TaskWaiter(HyperionApiClient client, CliConsole console, CliOutput output)
{
    public async Task<TaskDto> WaitAsync(TaskDto task, bool quiet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (TaskStateNames.IsFinished(task.State) || quiet)
        {
            return await PollAsync(task, _ => { }, ct);
        }

        if (console.IsTerminal)
        {
            return await output.Ansi.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask(Markup.Escape(Describe(task)), maxValue: 100);
                    var done = await PollAsync(task, t => bar.Value = t.Progress, ct);
                    if (done.State == TaskStateNames.Success)
                    {
                        bar.Value = 100;
                    }

                    bar.StopTask();
                    return done;
                });
        }

        var last = string.Empty;
        return await PollAsync(
            task,
            t =>
            {
                var line = FormatLine(t);
                if (line != last)
                {
                    console.Error.WriteLine(line);
                    last = line;
                }
            },
            ct);
    }

    /// <summary>The task's result as <typeparamref name="T"/>; default when it has none.</summary>
    public static T? ResultOf<T>(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Result is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } result
            ? result.Deserialize<T>(JsonDefaults.Options)
            : default;
    }

    /// <summary><c>VirtualMachine.powerOn web01</c>.</summary>
    public static string Describe(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var target = task.TargetName ?? task.TargetId;
        return target is null ? task.DescriptionId : $"{task.DescriptionId} {target}";
    }

    /// <summary><c>task-12 VirtualMachine.powerOn web01: running 40%</c>.</summary>
    public static string FormatLine(TaskDto task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return string.Create(CultureInfo.InvariantCulture, $"{task.Id} {Describe(task)}: {task.State} {task.Progress}%");
    }

    private async Task<TaskDto> PollAsync(TaskDto task, Action<TaskDto> report, CancellationToken ct)
    {
        report(task);
        while (!TaskStateNames.IsFinished(task.State))
        {
            await Task.Delay(console.TaskPollInterval, console.TimeProvider, ct);
            task = await client.GetTaskAsync(task.Id, ct);
            report(task);
        }

        return task;
    }
}
