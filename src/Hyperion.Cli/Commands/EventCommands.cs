using System.CommandLine;
using Hyperion.Cli.Output;

namespace Hyperion.Cli.Commands;

/// <summary><c>events …</c>.</summary>
internal static class EventCommands
{
    public static Command Create(CommandContext context)
    {
        var json = CommandContext.CreateJsonOption();
        var after = new Option<long?>("--after") { Description = "Only events with an id greater than this", HelpName = "N" }.AtLeast(0);
        var limit = new Option<int?>("--limit") { Description = "At most this many events (without --follow)", HelpName = "N" }.AtLeast(1);
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing events as they happen, until Ctrl-C" };
        var list = new Command("list", "List events; with --follow, stream them live (one JSON document per line with --json)")
        {
            after, limit, follow, json,
        };

        context.SetApiAction(list, async (parseResult, client, output, ct) =>
        {
            var afterId = parseResult.GetValue(after);
            var asJson = parseResult.GetValue(json);
            if (!parseResult.GetValue(follow))
            {
                var events = await client.ListEventsAsync(afterId, parseResult.GetValue(limit), ct);
                if (asJson)
                {
                    output.WriteJson(events);
                }
                else
                {
                    EventPresenter.WriteList(output.Ansi, events);
                }

                return CliExitCodes.Success;
            }

            try
            {
                await foreach (var e in client.StreamEventsAsync(afterId, ct))
                {
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

        return new Command("events", "Events: what happened on the host") { list };
    }
}
