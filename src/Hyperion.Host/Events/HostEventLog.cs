using System.Text.Json;
using System.Threading.Channels;
using Hyperion.Contracts;
using Hyperion.Contracts.Events;

namespace Hyperion.Host.Events;

/// <summary>The host's event history: kept in memory for queries, appended to <c>events.jsonl</c>, fanned out to live subscribers.</summary>
public sealed class HostEventLog
{
    private const int Capacity = 10_000;
    private readonly Lock _gate = new();
    private readonly List<EventDto> _events = [];
    private readonly List<Channel<EventDto>> _subscribers = [];
    private readonly string _file;
    private readonly TimeProvider _time;
    private long _nextId = 1;

    public HostEventLog(string dataDirectory, TimeProvider time)
    {
        _file = Path.Combine(dataDirectory, "events.jsonl");
        _time = time;
        if (File.Exists(_file))
        {
            TerminateTornLine(_file);
            foreach (var line in File.ReadLines(_file).TakeLast(Capacity))
            {
                try
                {
                    if (JsonSerializer.Deserialize<EventDto>(line, JsonDefaults.Options) is { } e)
                    {
                        _events.Add(e);
                        _nextId = Math.Max(_nextId, e.Id + 1);
                    }
                }
                catch (JsonException)
                {
                    // A torn last line after a crash: skip it, the rest is intact.
                }
            }
        }
    }

    /// <summary>A crash mid-append can leave a last line without its newline; end it so the next event starts on its own line.</summary>
    private static void TerminateTornLine(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        if (stream.Length == 0)
        {
            return;
        }

        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            stream.WriteByte((byte)'\n');
        }
    }

    public EventDto Publish(string type, string message, string? vmId = null, string? vmName = null)
    {
        EventDto e;
        Channel<EventDto>[] subscribers;
        lock (_gate)
        {
            e = new EventDto(_nextId++, _time.GetUtcNow(), type, vmId, vmName, message);
            _events.Add(e);
            if (_events.Count > Capacity)
            {
                _events.RemoveRange(0, _events.Count - Capacity);
            }

            File.AppendAllText(_file, JsonSerializer.Serialize(e, JsonDefaults.Options) + "\n");
            subscribers = [.. _subscribers];
        }

        foreach (var s in subscribers)
        {
            s.Writer.TryWrite(e);
        }

        return e;
    }

    public IReadOnlyList<EventDto> List(long after, int limit, string? vmId = null)
    {
        lock (_gate)
        {
            return _events.Where(e => e.Id > after && (vmId is null || e.VmId == vmId)).Take(limit).ToList();
        }
    }

    /// <summary>Events after <paramref name="after"/> and then every new one, until cancelled.</summary>
    public async IAsyncEnumerable<EventDto> FollowAsync(long after, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<EventDto>();
        List<EventDto> backlog;
        lock (_gate)
        {
            backlog = _events.Where(e => e.Id > after).ToList();
            _subscribers.Add(channel);
        }

        try
        {
            var last = after;
            foreach (var e in backlog)
            {
                last = e.Id;
                yield return e;
            }

            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (e.Id > last)
                {
                    last = e.Id;
                    yield return e;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
