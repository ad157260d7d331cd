using Hyperion.Contracts.Events;
using Hyperion.Host.Events;
using Hyperion.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Host.Tests.Events;

public sealed class HostEventLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDirectory _dir = new("hyev");
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _dir.Dispose();

    private string EventsFile => _dir.Combine("events.jsonl");

    [Fact]
    public void Publish_Several_IdsIncreaseFromOneWithFakeTime()
    {
        var log = new HostEventLog(_dir.Path, _time);

        var first = log.Publish("vm.created", "created web01", "vm-1", "web01");
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = log.Publish("host.started", "agent started");

        Assert.Equal(new EventDto(1, Start, "vm.created", "vm-1", "web01", "created web01"), first);
        Assert.Equal(new EventDto(2, Start.AddSeconds(5), "host.started", null, null, "agent started"), second);
    }

    [Fact]
    public void Publish_Each_AppendsOneJsonLine()
    {
        var log = new HostEventLog(_dir.Path, _time);

        log.Publish("a", "one");
        log.Publish("b", "two");

        var lines = File.ReadAllLines(EventsFile);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"id\":1", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"type\":\"b\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ExistingFile_ReloadsEventsAndContinuesIds()
    {
        var log = new HostEventLog(_dir.Path, _time);
        var published = new[] { log.Publish("a", "one", "vm-1"), log.Publish("b", "two"), log.Publish("c", "three", "vm-2", "db") };

        var reloaded = new HostEventLog(_dir.Path, _time);

        Assert.Equal(published, reloaded.List(0, 100));
        Assert.Equal(4, reloaded.Publish("d", "four").Id);
    }

    [Fact]
    public void Constructor_TornLastLine_SkipsItAndKeepsTheRest()
    {
        var log = new HostEventLog(_dir.Path, _time);
        log.Publish("a", "one");
        log.Publish("b", "two");
        File.AppendAllText(EventsFile, "{\"id\":3,\"time\":\"2026-11-2");

        var reloaded = new HostEventLog(_dir.Path, _time);

        Assert.Equal([1L, 2L], reloaded.List(0, 100).Select(e => e.Id));
        Assert.Equal(3, reloaded.Publish("c", "three").Id);
    }

    [Fact]
    public void Constructor_TornLastLineThenPublish_NextReloadKeepsNewEvent()
    {
        var log = new HostEventLog(_dir.Path, _time);
        log.Publish("a", "one");
        File.AppendAllText(EventsFile, "{\"id\":2,\"ti");

        new HostEventLog(_dir.Path, _time).Publish("b", "two");
        var reloaded = new HostEventLog(_dir.Path, _time);

        Assert.Equal([1L, 2L], reloaded.List(0, 100).Select(e => e.Id));
    }

    [Fact]
    public void Constructor_NoFile_StartsEmpty()
    {
        var log = new HostEventLog(_dir.Path, _time);

        Assert.Empty(log.List(0, 100));
        Assert.False(File.Exists(EventsFile));
    }

    [Fact]
    public void List_AfterVmAndLimit_Filters()
    {
        var log = new HostEventLog(_dir.Path, _time);
        log.Publish("t", "1", "vm-1");
        log.Publish("t", "2", "vm-2");
        log.Publish("t", "3", "vm-1");
        log.Publish("t", "4");
        log.Publish("t", "5", "vm-1");

        Assert.Equal([3L, 4L, 5L], log.List(2, 100).Select(e => e.Id));
        Assert.Equal([1L, 3L, 5L], log.List(0, 100, "vm-1").Select(e => e.Id));
        Assert.Equal([3L, 5L], log.List(1, 100, "vm-1").Select(e => e.Id));
        Assert.Equal([1L, 2L], log.List(0, 2).Select(e => e.Id));
        Assert.Equal([3L], log.List(1, 1, "vm-1").Select(e => e.Id));
        Assert.Empty(log.List(5, 100));
        Assert.Empty(log.List(0, 0));
        Assert.Empty(log.List(0, 100, "vm-9"));
    }

    [Fact]
    public async Task FollowAsync_BacklogThenLive_YieldsInOrderAndStopsOnCancel()
    {
        var log = new HostEventLog(_dir.Path, _time);
        log.Publish("t", "1");
        log.Publish("t", "2");
        log.Publish("t", "3");
        using var cts = new CancellationTokenSource();
        var follow = log.FollowAsync(1, cts.Token).GetAsyncEnumerator(cts.Token);
        try
        {
            Assert.True(await follow.MoveNextAsync());
            Assert.Equal(2, follow.Current.Id);
            Assert.True(await follow.MoveNextAsync());
            Assert.Equal(3, follow.Current.Id);

            var pending = follow.MoveNextAsync();
            Assert.False(pending.IsCompleted);
            _time.Advance(TimeSpan.FromMinutes(1));
            log.Publish("t", "4", "vm-1");
            Assert.True(await pending);
            Assert.Equal(4, follow.Current.Id);
            Assert.Equal(Start.AddMinutes(1), follow.Current.Time);

            var afterCancel = follow.MoveNextAsync();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await afterCancel);
        }
        finally
        {
            await follow.DisposeAsync();
        }

        // The cancelled subscriber is gone: publishing still works and nothing is left waiting.
        Assert.Equal(5, log.Publish("t", "5").Id);
    }

    [Fact]
    public async Task FollowAsync_TwoFollowers_EachGetsLiveEvent()
    {
        var log = new HostEventLog(_dir.Path, _time);
        using var cts = new CancellationTokenSource();
        var a = log.FollowAsync(0, cts.Token).GetAsyncEnumerator(cts.Token);
        var b = log.FollowAsync(0, cts.Token).GetAsyncEnumerator(cts.Token);
        try
        {
            var nextA = a.MoveNextAsync();
            var nextB = b.MoveNextAsync();
            log.Publish("t", "1");

            Assert.True(await nextA);
            Assert.True(await nextB);
            Assert.Equal(1, a.Current.Id);
            Assert.Equal(1, b.Current.Id);
        }
        finally
        {
            await cts.CancelAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }
}
