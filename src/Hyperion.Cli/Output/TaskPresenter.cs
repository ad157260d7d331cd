using System.Globalization;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for Center tasks.</summary>
internal static class TaskPresenter
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<TaskDto> tasks)
    {
        if (tasks.Count == 0)
        {
            console.WriteLine("No tasks.");
            return;
        }

        var table = new Table().AddColumns("Id", "Task", "Target", "State", "Progress", "Initiator", "Queued", "Completed");
        foreach (var task in tasks)
        {
            table.AddRow(
                Cell(task.Id),
                Cell(task.DescriptionId),
                Cell(task.TargetName ?? task.TargetId ?? string.Empty),
                Cell(task.State),
                Cell(task.Progress.ToString(CultureInfo.InvariantCulture) + "%"),
                Cell(task.Initiator),
                Cell(Time(task.QueuedAt)),
                Cell(task.CompletedAt is { } at ? Time(at) : string.Empty));
        }

        console.Write(table);
    }

    public static void WriteDetails(IAnsiConsole console, TaskDto task)
    {
        var grid = new Grid().AddColumn().AddColumn();
        Add(grid, "Id", task.Id);
        Add(grid, "Task", task.DescriptionId);
        if (task.TargetId is not null || task.TargetName is not null)
        {
            Add(grid, "Target", task.TargetName is null ? task.TargetId! : $"{task.TargetName} ({task.TargetId})");
        }

        Add(grid, "State", task.CancelRequested && task.State is "queued" or "running" ? task.State + " (cancel requested)" : task.State);
        Add(grid, "Progress", task.Progress.ToString(CultureInfo.InvariantCulture) + "%");
        Add(grid, "Initiator", task.Initiator);
        Add(grid, "Cancellable", task.Cancellable ? "yes" : "no");
        Add(grid, "Queued at", Time(task.QueuedAt));
        if (task.StartedAt is { } started)
        {
            Add(grid, "Started at", Time(started));
        }

        if (task.CompletedAt is { } completed)
        {
            Add(grid, "Completed at", Time(completed));
        }

        if (task.Error is { } error)
        {
            Add(grid, "Error", $"{error.Message} ({error.Code})");
        }

        if (task.Result is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } result)
        {
            Add(grid, "Result", JsonSerializer.Serialize(result, JsonDefaults.Options));
        }

        console.Write(grid);
    }

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);

    private static void Add(Grid grid, string label, string value) => grid.AddRow(new Text(label + ":"), new Text(value));

    private static Text Cell(string value) => new(value);
}
