using System.Threading.Channels;
using Hyperion.Contracts.Metrics;
using Hyperion.Host.Metrics;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Host.Tests.Metrics;

/// <summary>The sampler with fake time, a scripted host reader and fake VM instances.</summary>
public sealed class HostMetricsSamplerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4567));
    private readonly ScriptedHost _host = new();
    private readonly List<RunningVm> _running = [];
    private readonly MetricsRing _ring = new(TimeSpan.FromHours(1));

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task SampleAsync_TwoTicks_HostAndVmValuesAtMillisecondTimes()
    {
        var vm = new FakeVm(4242, vcpus: 1);
        _running.Add(new RunningVm("vm-1", vm));
        using var sampler = NewSampler();

        await sampler.SampleAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(20));
        _host.Busy += 50;
        _host.Total += 200;
        vm.Cpu += TimeSpan.FromSeconds(5);
        await sampler.SampleAsync(Ct);

        var samples = _ring.Since(null);
        Assert.Equal(["host", "vm-1", "host", "vm-1"], samples.Select(s => s.Entity));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero), samples[0].Time);
        Assert.Equal(samples[0].Time.AddSeconds(20), samples[2].Time);
        Assert.False(samples[1].Values.ContainsKey(MetricCounters.CpuUsage));
        Assert.Equal(25, samples[2].Values[MetricCounters.CpuUsage]);
        Assert.Equal(25, samples[3].Values[MetricCounters.CpuUsage]);
    }

    [Fact]
    public async Task SampleAsync_VmRestartedWithNewPid_NoRateAcrossProcesses()
    {
        _running.Add(new RunningVm("vm-1", new FakeVm(1, 1) { Cpu = TimeSpan.FromSeconds(100) }));
        using var sampler = NewSampler();
        await sampler.SampleAsync(Ct);

        _running[0] = new RunningVm("vm-1", new FakeVm(2, 1) { Cpu = TimeSpan.FromSeconds(101) });
        _time.Advance(TimeSpan.FromSeconds(20));
        await sampler.SampleAsync(Ct);

        Assert.False(_ring.Since(null)[^1].Values.ContainsKey(MetricCounters.CpuUsage));
    }

    [Fact]
    public async Task SampleAsync_VmGoneOrHostUnreadable_OthersStillSampled()
    {
        _running.Add(new RunningVm("vm-1", new FakeVm(1, 1) { Gone = true }));
        _running.Add(new RunningVm("vm-2", new FakeVm(2, 1)));
        _host.Fail = true;
        using var sampler = NewSampler();

        await sampler.SampleAsync(Ct);

        Assert.Equal(["vm-2"], _ring.Since(null).Select(s => s.Entity));
    }

    [Fact]
    public async Task SampleAsync_SameMillisecond_TimesStillIncrease()
    {
        using var sampler = NewSampler();

        await sampler.SampleAsync(Ct);
        await sampler.SampleAsync(Ct);

        var times = _ring.Since(null).Select(s => s.Time).ToList();
        Assert.Equal(times[0].AddMilliseconds(1), times[1]);
    }

    private HostMetricsSampler NewSampler() =>
        new(_host, () => _running.ToList(), _ring, new HostAgentOptions { DataDirectory = "/nonexistent" }, _time, NullLogger<HostMetricsSampler>.Instance);

    private sealed class ScriptedHost : IHostResourceReader
    {
        public ulong Busy { get; set; } = 1000;

        public ulong Total { get; set; } = 10_000;

        public bool Fail { get; set; }

        public HostResourceSample Read() => Fail
            ? throw new IOException("no /proc")
            : new HostResourceSample
            {
                Cpu = new CpuTimes(Busy, Total),
                MemoryTotalBytes = 1024,
                MemoryUsedBytes = 256,
                DiskReadBytes = 0,
                DiskWriteBytes = 0,
                NetReceivedBytes = 0,
                NetTransmittedBytes = 0,
            };
    }

    private sealed class FakeVm(int pid, int vcpus) : IVmInstance
    {
        public TimeSpan Cpu { get; set; }

        public bool Gone { get; set; }

        public int Pid => pid;

        public string Accelerator => "tcg";

        public bool HasMonitor => true;

        public ChannelReader<VmRuntimeEvent> Events => Channel.CreateUnbounded<VmRuntimeEvent>().Reader;

        public Task<string?> Exited => new TaskCompletionSource<string?>().Task;

        public Task<VmResourceSample> SampleAsync(CancellationToken cancellationToken) => Gone
            ? throw new IOException("gone")
            : Task.FromResult(new VmResourceSample { CpuTime = Cpu, Vcpus = vcpus, MemoryConsumedBytes = 10, MemoryConfiguredBytes = 100 });

        public Task PauseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ContinueAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ResetAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PressPowerButtonAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task QuitAsync(TimeSpan grace, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task MigrationStatusChanged => Task.CompletedTask;

        public Task StartMigrationAsync(string uri, VmMigrationSettings settings, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<VmMigrationProgress> QueryMigrationAsync(CancellationToken cancellationToken) => Task.FromResult(new VmMigrationProgress("none"));

        public Task CancelMigrationAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartPostcopyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Kill()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
