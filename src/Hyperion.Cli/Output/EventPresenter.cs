using System.Globalization;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Events;
using Spectre.Console;

namespace Hyperion.Cli.Output;

/// <summary>Human output for events: a table for a page, one line per event for a live stream.</summary>
internal static class EventPresenter
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<EventDto> events)
    {
        if (events.Count == 0)
        {
            console.WriteLine("No events.");
            return;
        }

        var table = new Table().AddColumns("Id", "Time", "Type", "VM", "Message");
        foreach (var e in events)
        {
            table.AddRow(
                new Text(e.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(e.Time.ToString("u", CultureInfo.InvariantCulture)),
                new Text(e.Type),
                new Text(e.VmName ?? e.VmId ?? string.Empty),
                new Text(e.Message));
        }

        console.Write(table);
    }

    /// <summary>The Center's events: about any inventory object, with the user and task behind them.</summary>
    public static void WriteList(IAnsiConsole console, IReadOnlyList<CenterEventDto> events)
    {
        if (events.Count == 0)
        {
            console.WriteLine("No events.");
            return;
        }

        var table = new Table().AddColumns("Id", "Time", "Type", "Object", "User", "Task", "Message");
        foreach (var e in events)
        {
            table.AddRow(
                new Text(e.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(e.Time.ToString("u", CultureInfo.InvariantCulture)),
                new Text(e.Type),
                new Text(e.ObjectName ?? e.ObjectId ?? string.Empty),
                new Text(e.User ?? string.Empty),
                new Text(e.TaskId ?? string.Empty),
                new Text(e.Message));
        }

        console.Write(table);
    }

    public static string FormatLine(EventDto e) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{e.Id} {e.Time:u} {e.Type} {e.VmName ?? e.VmId ?? "-"} {e.Message}");
}
