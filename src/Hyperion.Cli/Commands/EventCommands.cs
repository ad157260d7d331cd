using System.CommandLine;
using Hyperion.Cli.Api;
using Hyperion.Cli.Output;
using Hyperion.Contracts.Events;

namespace Hyperion.Cli.Commands;

/// <summary>
/// <c>event list</c> (also spelled <c>events</c>): a host agent's events (optionally followed live), or a Center's,
/// filtered by object, type and time. On a host the filters apply to what it returns.
/// </summary>
internal static class EventCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var after = new Option<long?>("--after") { Description = "Only events with an id greater than this (host agent)", HelpName = "N" }.AtLeast(0);
        var limit = new Option<int?>("--limit") { Description = "At most this many events (without --follow)", HelpName = "N" }.AtLeast(1);
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing events as they happen, until Ctrl-C (host agent)" };
        var objectName = new Option<string?>("--object") { Description = "Only events about this object (name or id)", HelpName = "NAME" };
        var type = new Option<string?>("--type") { Description = "Only events of this type (e.g. vm.powered-on; on a Center also a prefix such as vm.)", HelpName = "TYPE" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only events at or after this time (ISO 8601, e.g. 2026-01-31T12:00:00Z)", HelpName = "TIME" };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only events before this time (ISO 8601)", HelpName = "TIME" };
        var list = new Command("list", "List events (a Center's newest first); with --follow, stream a host's live (one JSON document per line with --json)")
        {
            after, limit, follow, objectName, type, since, until, json,
        };

        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            var asJson = parseResult.GetValue(json);
            if (await client.GetProductAsync(ct) == ServerProduct.Center)
            {
                if (parseResult.GetValue(follow) || parseResult.GetValue(after) is not null)
                {
                    throw new CliWrongServerException(
                        $"--follow and --after are for a host agent's event stream; on the Center ({client.Server.Authority}) use --since, --type and --object.");
                }

                var centerEvents = await client.ListCenterEventsAsync(
                    parseResult.GetValue(objectName), parseResult.GetValue(type), parseResult.GetValue(since), parseResult.GetValue(until), parseResult.GetValue(limit), ct);
                if (asJson)
                {
                    output.WriteJson(centerEvents);
                }
                else
                {
                    EventPresenter.WriteList(output.Ansi, centerEvents);
                }

                return CliExitCodes.Success;
            }

            var filter = new HostEventFilter(parseResult.GetValue(objectName), parseResult.GetValue(type), parseResult.GetValue(since), parseResult.GetValue(until));
            var afterId = parseResult.GetValue(after);
            if (!parseResult.GetValue(follow))
            {
                // The agent filters by id only: with a filter, ask for everything and take the limit of what matches.
                var wanted = parseResult.GetValue(limit);
                var events = await client.ListEventsAsync(afterId, filter.IsEmpty ? wanted : null, ct);
                IReadOnlyList<EventDto> shown = [.. events.Where(filter.Matches).Take(wanted ?? int.MaxValue)];
                if (asJson)
                {
                    output.WriteJson(shown);
                }
                else
                {
                    EventPresenter.WriteList(output.Ansi, shown);
                }

                return CliExitCodes.Success;
            }

            try
            {
                await foreach (var e in client.StreamEventsAsync(afterId, ct))
                {
                    if (!filter.Matches(e))
                    {
                        continue;
                    }

                    if (asJson)
                    {
                        output.WriteJsonLine(e);
                    }
                    else
                    {
                        output.WriteLine(EventPresenter.FormatLine(e));
                    }

                    await output.Out.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C is how a follow ends.
            }

            return CliExitCodes.Success;
        });

        var command = new Command("event", "Events: what happened on the host or in the Center's inventory") { list };
        command.Aliases.Add("events");
        return command;
    }

    /// <summary>The <c>--object/--type/--since/--until</c> filters applied to a host agent's events.</summary>
    private sealed record HostEventFilter(string? Object, string? Type, DateTimeOffset? Since, DateTimeOffset? Until)
    {
        public bool IsEmpty => Object is null && Type is null && Since is null && Until is null;

        public bool Matches(EventDto e) =>
            (Object is null || e.VmId == Object || e.VmName == Object)
            && (Type is null || e.Type == Type)
            && (Since is null || e.Time >= Since)
            && (Until is null || e.Time < Until);
    }
}
