using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Server.Hosting;

/// <summary>
/// A background loop: one round at start, then one every <c>interval</c> on <see cref="TimeProvider"/>'s clock (so
/// tests can drive it with fake time). A failing round is logged and the next one runs as planned; the loop ends when
/// the host stops.
/// </summary>
public abstract partial class PeriodicBackgroundService(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>One round; also callable directly (tests, or a caller that wants a round now).</summary>
    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await RunRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, GetType().Name, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}: round failed; the next one runs as planned")]
    private static partial void LogRoundFailed(ILogger logger, string service, Exception exception);
}
