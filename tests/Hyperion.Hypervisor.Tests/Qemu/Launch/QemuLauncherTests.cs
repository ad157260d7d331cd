using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Launch;

public sealed class QemuLauncherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDirectory _dir = new("hyql");
    private readonly FakeQemuRunner _runner = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    private QemuLaunchConfig Config() => new()
    {
        Name = "tiny",
        Uuid = Guid.Parse("0f4c2b9e-6a4d-4e8b-9c1f-3d2a1b0c9e8f"),
        Accelerator = "tcg",
        CpuModel = "max",
        Cpus = 1,
        MemoryMiB = 64,
        Boot = BootKind.Kernel,
        Kernel = "/k/vmlinux",
        Initrd = "/k/initrd",
        KernelArgs = "console=ttyS0 quiet",
        Daemonize = false,
        Paths = new QemuRuntimePaths(
            _dir.Combine("run", "qmp.sock"),
            _dir.Combine("run", "serial.sock"),
            _dir.Combine("serial.log"),
            _dir.Combine("run", "vnc.sock"),
            _dir.Combine("run", "qemu.pid")),
    };

    private string QemuLog => _dir.Combine("qemu.log");

    private QemuLauncher Launcher() => new(_runner, "/usr/bin/qemu-system-x86_64", _time);

    [Fact]
    public async Task StartAsync_QemuSucceeds_ReturnsPidFromPidFile()
    {
        _runner.Pid = 31337;

        var pid = await Launcher().StartAsync(Config(), QemuLog, CancellationToken.None);

        Assert.Equal(31337, pid);
    }

    [Fact]
    public async Task StartAsync_Always_RunsQemuDaemonizedWithBuiltArgvAndTimeout()
    {
        var config = Config();

        await Launcher().StartAsync(config, QemuLog, CancellationToken.None);

        var call = Assert.Single(_runner.Calls);
        Assert.Equal("/usr/bin/qemu-system-x86_64", call.FileName);
        Assert.Equal(QemuArgvBuilder.Build(config with { Daemonize = true }), call.Arguments);
        Assert.Equal("-daemonize", call.Arguments[^1]);
        Assert.Equal(TimeSpan.FromSeconds(60), call.Timeout);
    }

    [Fact]
    public async Task StartAsync_Success_AppendsStartingLineAndOutputToLog()
    {
        File.WriteAllText(QemuLog, "earlier run\n");
        _runner.Result = new ProcessResult(0, string.Empty, "2026-11-23T12:00:00.000001Z qemu-system-x86_64: warning: something odd\n", TimeSpan.Zero);

        await Launcher().StartAsync(Config(), QemuLog, CancellationToken.None);

        var lines = File.ReadAllLines(QemuLog);
        Assert.Equal("earlier run", lines[0]);
        Assert.StartsWith($"{Now:O} starting: /usr/bin/qemu-system-x86_64 -name guest=tiny,debug-threads=on ", lines[1], StringComparison.Ordinal);
        Assert.Contains(" -append 'console=ttyS0 quiet' ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(" -daemonize", lines[1], StringComparison.Ordinal);
        Assert.Equal("2026-11-23T12:00:00.000001Z qemu-system-x86_64: warning: something odd", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task StartAsync_StaleSocketsAndPidFile_DeletedBeforeQemuRuns()
    {
        var config = Config();
        var stale = new[] { config.Paths.QmpSocket, config.Paths.SerialSocket, config.Paths.VncSocket, config.Paths.PidFile };
        Directory.CreateDirectory(_dir.Combine("run"));
        foreach (var file in stale)
        {
            File.WriteAllText(file, "stale");
        }

        _runner.WatchedFiles = stale;

        await Launcher().StartAsync(config, QemuLog, CancellationToken.None);

        Assert.Empty(_runner.ExistingAtRun);
    }

    [Fact]
    public async Task StartAsync_MissingRunDirectory_IsCreated()
    {
        await Launcher().StartAsync(Config(), QemuLog, CancellationToken.None);

        Assert.True(Directory.Exists(_dir.Combine("run")));
    }

    [Fact]
    public async Task StartAsync_QemuExitsWithTimestampedError_ThrowsWithStrippedMessage()
    {
        _runner.Result = new ProcessResult(
            1,
            string.Empty,
            "2026-11-23T12:00:00.123456Z qemu-system-x86_64: -drive file=/d/disk0.qcow2,format=qcow2,if=none,id=drive-disk0: Could not open '/d/disk0.qcow2': No such file or directory\n" +
            "2026-11-23T12:00:00.123457Z qemu-system-x86_64: second line\n",
            TimeSpan.Zero);

        var ex = await Assert.ThrowsAsync<QemuStartException>(() => Launcher().StartAsync(Config(), QemuLog, CancellationToken.None));

        Assert.Equal(
            "QEMU failed to start: qemu-system-x86_64: -drive file=/d/disk0.qcow2,format=qcow2,if=none,id=drive-disk0: Could not open '/d/disk0.qcow2': No such file or directory",
            ex.Message);
        var log = File.ReadAllText(QemuLog);
        Assert.Contains("2026-11-23T12:00:00.123456Z qemu-system-x86_64: -drive file=/d/disk0.qcow2", log, StringComparison.Ordinal);
        Assert.Contains("second line", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_QemuFailsSilently_ThrowsWithExitCode()
    {
        _runner.Result = new ProcessResult(3, string.Empty, string.Empty, TimeSpan.Zero);

        var ex = await Assert.ThrowsAsync<QemuStartException>(() => Launcher().StartAsync(Config(), QemuLog, CancellationToken.None));

        Assert.Equal("QEMU failed to start: exit code 3", ex.Message);
    }

    [Fact]
    public async Task StartAsync_QemuTimesOutSilently_ThrowsTimedOut()
    {
        _runner.Result = new ProcessResult(137, string.Empty, string.Empty, TimeSpan.FromSeconds(60), TimedOut: true);

        var ex = await Assert.ThrowsAsync<QemuStartException>(() => Launcher().StartAsync(Config(), QemuLog, CancellationToken.None));

        Assert.Equal("QEMU failed to start: timed out", ex.Message);
    }

    [Fact]
    public async Task StartAsync_Cancelled_ThrowsBeforeRunningQemu()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Launcher().StartAsync(Config(), QemuLog, cts.Token));

        Assert.Empty(_runner.Calls);
    }

    [Theory]
    [InlineData("2026-11-23T12:00:00.000000Z qemu-system-x86_64: -drive x: Could not open", "qemu-system-x86_64: -drive x: Could not open")]
    [InlineData("qemu-system-x86_64: no timestamp here", "qemu-system-x86_64: no timestamp here")]
    [InlineData("12345 not a date", "12345 not a date")]
    [InlineData("2026-", "2026-")]
    [InlineData("", "")]
    public void StripTimestamp_Line_RemovesLeadingTimestampOnly(string line, string expected)
    {
        Assert.Equal(expected, QemuLauncher.StripTimestamp(line));
    }
}
