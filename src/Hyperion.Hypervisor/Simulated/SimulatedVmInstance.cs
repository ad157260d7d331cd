using System.Threading.Channels;
using Hyperion.Hypervisor.Drivers;

namespace Hyperion.Hypervisor.Simulated;

/// <summary>
/// A SIMULATED running VM: state changes happen at once, the power button always works, and its resource counters
/// are synthetic (plausible, slowly varying load; no CPU used while paused), labelled <see cref="VmResourceSample.Simulated"/>.
/// </summary>
public sealed class SimulatedVmInstance : IVmInstance
{
    /// <summary>The synthetic load cycles with this period, each VM at its own phase.</summary>
    private static readonly TimeSpan LoadPeriod = TimeSpan.FromMinutes(10);

    private readonly Channel<VmRuntimeEvent> _events = Channel.CreateUnbounded<VmRuntimeEvent>();
    private readonly TaskCompletionSource<string?> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onExit;
    private readonly int _cpus;
    private readonly long _memoryBytes;
    private readonly TimeProvider _time;
    private readonly Lock _counters = new();
    private readonly double _phase;
    private long _lastTimestamp;
    private double _cpuSeconds;
    private double _diskRead;
    private double _diskWrite;
    private double _netReceived;
    private double _netTransmitted;

    public SimulatedVmInstance(int pid, Action onExit, int cpus, long memoryMiB, TimeProvider time)
    {
        Pid = pid;
        _onExit = onExit;
        _cpus = Math.Max(1, cpus);
        _memoryBytes = memoryMiB * 1024 * 1024;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _lastTimestamp = _time.GetTimestamp();
        _phase = pid % 97 / 97.0 * 2 * Math.PI;
    }

    public int Pid { get; }

    public string Accelerator => "simulated";

    public bool HasMonitor => true;

    public bool IsPaused { get; private set; }

    public ChannelReader<VmRuntimeEvent> Events => _events.Reader;

    public Task<string?> Exited => _exited.Task;

    public Task PauseAsync(CancellationToken cancellationToken)
    {
        Advance();
        IsPaused = true;
        _events.Writer.TryWrite(VmRuntimeEvent.Paused);
        return Task.CompletedTask;
    }

    public Task ContinueAsync(CancellationToken cancellationToken)
    {
        Advance();
        IsPaused = false;
        _events.Writer.TryWrite(VmRuntimeEvent.Resumed);
        return Task.CompletedTask;
    }

    public Task ResetAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PressPowerButtonAsync(CancellationToken cancellationToken)
    {
        Exit("guest-shutdown");
        return Task.CompletedTask;
    }

    public Task QuitAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Exit("host-qmp-quit");
        return Task.CompletedTask;
    }

    public void Kill() => Exit(null);

    private VmMigrationProgress _migration = new("none");

    public Task MigrationStatusChanged => Task.CompletedTask;

    /// <summary>A simulated migration is over at once: the VM is paused here, as a real one is after switch-over.</summary>
    public Task StartMigrationAsync(string uri, VmMigrationSettings settings, CancellationToken cancellationToken)
    {
        Advance();
        IsPaused = true;
        _events.Writer.TryWrite(VmRuntimeEvent.Paused);
        var bytes = _memoryBytes;
        _migration = new VmMigrationProgress("completed") { TotalBytes = bytes, TransferredBytes = bytes, Passes = 1, DowntimeMs = 0, TotalTimeMs = 0 };
        return Task.CompletedTask;
    }

    public Task<VmMigrationProgress> QueryMigrationAsync(CancellationToken cancellationToken) => Task.FromResult(_migration);

    public Task CancelMigrationAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartPostcopyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<VmResourceSample> SampleAsync(CancellationToken cancellationToken)
    {
        if (_exited.Task.IsCompleted)
        {
            throw new IOException("the simulated VM is gone");
        }

        var load = Advance();
        lock (_counters)
        {
            return Task.FromResult(new VmResourceSample
            {
                CpuTime = TimeSpan.FromSeconds(_cpuSeconds),
                Vcpus = _cpus,
                MemoryConsumedBytes = (long)(_memoryBytes * (0.45 + (0.2 * load))),
                MemoryConfiguredBytes = _memoryBytes,
                DiskReadBytes = (ulong)_diskRead,
                DiskWriteBytes = (ulong)_diskWrite,
                NetReceivedBytes = (ulong)_netReceived,
                NetTransmittedBytes = (ulong)_netTransmitted,
                Simulated = true,
            });
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Integrates the synthetic load since the last call; returns the current load (0–1).</summary>
    private double Advance()
    {
        lock (_counters)
        {
            var now = _time.GetTimestamp();
            var seconds = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            _lastTimestamp = now;
            var cycle = _time.GetUtcNow().ToUnixTimeMilliseconds() / LoadPeriod.TotalMilliseconds * 2 * Math.PI;
            var load = 0.5 + (0.5 * Math.Sin(cycle + _phase));
            if (!IsPaused && seconds > 0)
            {
                // 10–40 % of the vCPUs, ~64–320 KiB/s of disk I/O, ~16–80 KiB/s of network.
                _cpuSeconds += seconds * _cpus * (0.1 + (0.3 * load));
                _diskRead += seconds * 65_536 * (1 + (2 * load));
                _diskWrite += seconds * 131_072 * (1 + (1.5 * load));
                _netReceived += seconds * 16_384 * (1 + (4 * load));
                _netTransmitted += seconds * 8_192 * (1 + (4 * load));
            }

            return load;
        }
    }

    private void Exit(string? reason)
    {
        if (_exited.TrySetResult(reason))
        {
            _onExit();
            _events.Writer.TryComplete();
        }
    }
}
