using Hyperion.Server.Hosting;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hyperion.Host.Metrics;

/// <summary>
/// Every <see cref="HostAgentOptions.MetricsInterval"/> reads this host's counters and each running VM's, turns
/// them into values (<see cref="MetricValues"/>) and adds one tick to the <see cref="MetricsRing"/>. Sample times are
/// whole milliseconds (so they survive a round trip through PostgreSQL's microsecond timestamps and can serve as a
/// <c>since</c> cursor) and strictly increase. Rates use the monotonic clock between two readings.
/// </summary>
internal sealed partial class HostMetricsSampler(
    IHostResourceReader hostReader,
    Func<IReadOnlyList<RunningVm>> runningVms,
    MetricsRing ring,
    HostAgentOptions options,
    TimeProvider time,
    ILogger<HostMetricsSampler> logger) : PeriodicBackgroundService(options.MetricsInterval, time, logger)
{
    public const string HostEntity = "host";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, VmReading> _vmReadings = new(StringComparer.Ordinal);
    private (HostResourceSample Sample, long Timestamp)? _hostReading;
    private DateTimeOffset _lastTime = DateTimeOffset.MinValue;

    /// <summary>Takes one sample of the host and every running VM; serialized with other calls.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = Time.GetUtcNow();
            now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            if (now <= _lastTime)
            {
                now = _lastTime.AddMilliseconds(1);
            }

            var samples = new List<(string, IReadOnlyDictionary<string, double>)>();
            try
            {
                var reading = hostReader.Read();
                var timestamp = Time.GetTimestamp();
                var elapsed = _hostReading is { } last ? Time.GetElapsedTime(last.Timestamp, timestamp) : TimeSpan.Zero;
                samples.Add((HostEntity, MetricValues.ForHost(_hostReading?.Sample, reading, elapsed)));
                _hostReading = (reading, timestamp);
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                LogHostReadFailed(Logger, ex);
            }

            var running = runningVms();
            foreach (var gone in _vmReadings.Keys.Except(running.Select(v => v.Id)).ToList())
            {
                _vmReadings.Remove(gone);
            }

            foreach (var vm in running)
            {
                if (await SampleVmAsync(vm, cancellationToken) is { } values)
                {
                    samples.Add((vm.Id, values));
                }
            }

            ring.Add(now, samples);
            _lastTime = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override Task RunRoundAsync(CancellationToken cancellationToken) => SampleAsync(cancellationToken);

    private async Task<Dictionary<string, double>?> SampleVmAsync(RunningVm vm, CancellationToken cancellationToken)
    {
        VmResourceSample sample;
        try
        {
            sample = await vm.Instance.SampleAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
        {
            // Exiting between listing and reading: it is simply absent from this tick.
            LogVmReadFailed(Logger, vm.Id, ex.Message);
            _vmReadings.Remove(vm.Id);
            return null;
        }

        var timestamp = Time.GetTimestamp();

        // Another process (the VM restarted) starts from zero: no rate across the two.
        var previous = _vmReadings.TryGetValue(vm.Id, out var last) && last.Pid == vm.Instance.Pid ? last : null;
        var elapsed = previous is null ? TimeSpan.Zero : Time.GetElapsedTime(previous.Timestamp, timestamp);
        _vmReadings[vm.Id] = new VmReading(vm.Instance.Pid, sample, timestamp);
        return MetricValues.ForVm(previous?.Sample, sample, elapsed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "metrics: cannot read the host's counters")]
    private static partial void LogHostReadFailed(ILogger Logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "metrics: cannot read VM {VmId}'s counters: {Reason}")]
    private static partial void LogVmReadFailed(ILogger Logger, string vmId, string reason);


    private sealed record VmReading(int Pid, VmResourceSample Sample, long Timestamp);
}
