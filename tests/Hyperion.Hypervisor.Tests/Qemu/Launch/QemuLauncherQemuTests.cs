using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Processes;
using Hyperion.Hypervisor.Qemu.Launch;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.Qemu.Launch;

/// <summary>The built argv against the real QEMU binary (TCG, firmware only, no guest OS): QEMU must accept every device we emit.</summary>
[Trait("Category", "Qemu")]
public sealed class QemuLauncherQemuTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyqq");
    private readonly LinuxProcessTable _processes = new();

    public void Dispose() => _dir.Dispose();

    private QemuLaunchConfig Config(string vmFolder, params QemuNic[] nics)
    {
        Directory.CreateDirectory(vmFolder);
        var disk0 = Path.Combine(vmFolder, "disk0.raw");
        var disk1 = Path.Combine(vmFolder, "disk1.raw");
        var iso = Path.Combine(vmFolder, "tools.iso");
        foreach (var file in new[] { disk0, disk1, iso })
        {
            using var stream = File.Create(file);
            stream.SetLength(1 << 20);
        }

        return new QemuLaunchConfig
        {
            Name = "argv-check",
            Uuid = Guid.NewGuid(),
            Accelerator = "tcg",
            CpuModel = "max",
            Cpus = 1,
            MemoryMiB = 64,
            Boot = BootKind.Disk,
            Disks = [new QemuDisk(disk0, "raw"), new QemuDisk(disk1, "raw", ReadOnly: true)],
            Iso = iso,
            Nics = nics,
            Paths = new QemuRuntimePaths(_dir.Combine("qmp.sock"), _dir.Combine("serial.sock"), Path.Combine(vmFolder, "serial.log"), _dir.Combine("vnc.sock"), _dir.Combine("qemu.pid")),
        };
    }

    private async Task<int> StartAndStopAsync(QemuLaunchConfig config)
    {
        var launcher = new QemuLauncher(new SystemProcessRunner(), "qemu-system-x86_64", TimeProvider.System);
        var pid = await launcher.StartAsync(config, _dir.Combine("qemu.log"), CancellationToken.None);
        try
        {
            Assert.True(_processes.IsAlive(pid));
            Assert.Contains("-daemonize", _processes.ReadCommandLine(pid) ?? []);
        }
        finally
        {
            _processes.Kill(pid);
        }

        return pid;
    }

    [Fact]
    public async Task StartAsync_DisksIsoUserNicVnc_QemuAcceptsArgv()
    {
        await StartAndStopAsync(Config(_dir.Combine("vm"), new QemuNic("52:54:00:00:00:01", "user")));
    }

    [Fact]
    public async Task StartAsync_CommaInVmFolder_QemuAcceptsEscapedPaths()
    {
        var config = Config(_dir.Combine("v,m"), new QemuNic("52:54:00:00:00:01", "user")) with { Name = "a,b" };

        await StartAndStopAsync(config);

        Assert.True(File.Exists(_dir.Combine("v,m", "serial.log")));
    }

    [Fact]
    public async Task StartAsync_MissingDisk_QemuStartExceptionWithQemuMessage()
    {
        var config = Config(_dir.Combine("vm"));
        config = config with { Disks = [new QemuDisk(_dir.Combine("vm", "missing.qcow2"), "qcow2")] };

        var ex = await Assert.ThrowsAsync<QemuStartException>(() => new QemuLauncher(new SystemProcessRunner(), "qemu-system-x86_64", TimeProvider.System)
            .StartAsync(config, _dir.Combine("qemu.log"), CancellationToken.None));

        Assert.StartsWith("QEMU failed to start: qemu-system-x86_64: -drive file=", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Could not open", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoneNic_QemuAcceptsArgv()
    {
        await StartAndStopAsync(Config(_dir.Combine("vm"), new QemuNic("52:54:00:00:00:03", "none")));
    }

    [Fact]
    public async Task StartAsync_CommaInRunDirectory_QemuAcceptsArgv()
    {
        var run = _dir.Combine("r,1");
        Directory.CreateDirectory(run);
        var config = Config(_dir.Combine("vm")) with
        {
            Paths = new QemuRuntimePaths(Path.Combine(run, "qmp.sock"), Path.Combine(run, "serial.sock"), _dir.Combine("vm", "serial.log"), Path.Combine(run, "vnc.sock"), Path.Combine(run, "qemu.pid")),
        };

        await StartAndStopAsync(config);
    }
}
