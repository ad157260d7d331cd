using System.Text;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;

namespace Hyperion.Cli.Tests.Commands;

public sealed class EventCommandsTests
{
    [Fact]
    public async Task List_AfterAndLimit_SendsQueryAndPrintsJson()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/events?after=5&limit=2", new[] { TestData.Event(6), TestData.Event(7) });

        var run = await cli.RunAsync("events", "list", "--after", "5", "--limit", "2", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var events = JsonSerializer.Deserialize<EventDto[]>(run.Out, JsonDefaults.Options)!;
        Assert.Equal([6L, 7L], events.Select(e => e.Id));
    }

    [Fact]
    public async Task List_Human_PrintsTable()
    {
        var cli = new CliHarness();
        cli.Http.OnJson(HttpMethod.Get, "/api/events", new[] { TestData.Event(1, EventTypes.VmCreated) });

        var run = await cli.RunAsync("events", "list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("vm.created", run.Out, StringComparison.Ordinal);
        Assert.Contains("web01", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Follow_PrintsEachStreamedEvent()
    {
        var cli = new CliHarness();
        var stream = new StringBuilder()
            .Append(": keep-alive\n\n")
            .Append(Sse(TestData.Event(3)))
            .Append(Sse(TestData.Event(4, EventTypes.VmPoweredOff)))
            .ToString();
        cli.Http.On(HttpMethod.Get, "/api/events/stream?after=2", () => Fakes.FakeHttpHandler.Text(stream, "text/event-stream"));

        var run = await cli.RunAsync("events", "list", "--after", "2", "--follow", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(EventTypes.VmPoweredOff, JsonSerializer.Deserialize<EventDto>(lines[1], JsonDefaults.Options)!.Type);
    }

    private static string Sse(EventDto e) =>
        $"id: {e.Id}\nevent: {e.Type}\ndata: {JsonSerializer.Serialize(e, JsonDefaults.Options)}\n\n";
}
