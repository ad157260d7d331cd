using System.Collections.Concurrent;
using System.Threading.Channels;
using Hyperion.Contracts.Center;

namespace Hyperion.Center.Tasks;

/// <summary>
/// Live task changes for followers (the SSE stream, waiting API calls). In memory: a follower that connects later
/// reads the current state from the database first, then follows from here.
/// </summary>
public sealed class TaskFeed
{
    private readonly ConcurrentDictionary<Channel<TaskDto>, byte> _subscribers = new();

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<TaskDto>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers.TryAdd(channel, 0);
        return new Subscription(this, channel);
    }

    public void Publish(TaskDto task)
    {
        foreach (var channel in _subscribers.Keys)
        {
            channel.Writer.TryWrite(task);
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly TaskFeed _feed;
        private readonly Channel<TaskDto> _channel;

        internal Subscription(TaskFeed feed, Channel<TaskDto> channel)
        {
            _feed = feed;
            _channel = channel;
        }

        public ChannelReader<TaskDto> Reader => _channel.Reader;

        public void Dispose()
        {
            _feed._subscribers.TryRemove(_channel, out _);
            _channel.Writer.TryComplete();
        }
    }
}
