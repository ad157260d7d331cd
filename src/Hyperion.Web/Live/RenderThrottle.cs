namespace Hyperion.Web.Live;

/// <summary>
/// Coalesces bursts of change notifications into at most one call of <c>render</c> per <see cref="MinInterval"/>:
/// a request while one is pending is absorbed by it; the first request after a quiet spell renders at once.
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan minInterval, TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private bool _pending;
    private long _lastRender = long.MinValue;

    public TimeSpan MinInterval { get; } = minInterval;

    /// <summary>Asks for a render; returns at once (the render runs in the background).</summary>
    public void Request()
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (_pending || _stopping.IsCancellationRequested)
            {
                return;
            }

            _pending = true;
            var since = _lastRender == long.MinValue ? TimeSpan.MaxValue : _time.GetElapsedTime(_lastRender);
            delay = since >= MinInterval ? TimeSpan.Zero : MinInterval - since;
        }

        _ = RunAsync(delay);
    }

    private async Task RunAsync(TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, _stopping.Token);
            }

            lock (_gate)
            {
                _pending = false;
                _lastRender = _time.GetTimestamp();
            }

            await render();
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting.
        }
        catch (ObjectDisposedException)
        {
            // The component went away between the request and the render.
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
