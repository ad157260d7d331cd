using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.Qemu.Launch;

namespace Hyperion.Hypervisor.Tests.Qemu.Launch;

public sealed class QemuArgvBuilderTests
{
    private static readonly Guid Uuid = Guid.Parse("0f4c2b9e-6a4d-4e8b-9c1f-3d2a1b0c9e8f");

    private static QemuRuntimePaths PathsFor(string runDir, string vmFolder) => new(
        QmpSocket: $"{runDir}/qmp.sock",
        SerialSocket: $"{runDir}/serial.sock",
        SerialLog: $"{vmFolder}/serial.log",
        VncSocket: $"{runDir}/vnc.sock",
        PidFile: $"{runDir}/qemu.pid");

    private static QemuLaunchConfig TinyKernel() => new()
    {
        Name = "tiny",
        Uuid = Uuid,
        Accelerator = "tcg",
        CpuModel = "max",
        Cpus = 1,
        MemoryMiB = 64,
        Boot = BootKind.Kernel,
        Kernel = "/cache/tiny-guest/current/vmlinux",
        Initrd = "/cache/tiny-guest/current/initramfs.cpio.gz",
        KernelArgs = "console=ttyS0 quiet panic=-1",
        Paths = PathsFor("/var/lib/hyperion/run/vm-1", "/var/lib/hyperion/datastores/local/tiny"),
    };

    [Fact]
    public void Build_TinyKernelTcgNoDisks_MatchesGolden()
    {
        GoldenFile.AssertMatches("kernel-tcg-tiny", QemuArgvBuilder.Build(TinyKernel()));
    }

    [Fact]
    public void Build_GuestAgent_AddsTheQemuGuestAgentPortAndItsSocket_MatchesGolden()
    {
        GoldenFile.AssertMatches("guest-agent", QemuArgvBuilder.Build(TinyKernel() with { GuestAgent = true }));
        Assert.DoesNotContain(QemuArgvBuilder.Build(TinyKernel()), a => a.Contains("guest_agent", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_GuestAgentIncoming_TheMigrationDestinationGetsTheSameChannel()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with { GuestAgent = true, Incoming = true });
        Assert.Contains("virtserialport,bus=vserial0.0,chardev=qga0,name=org.qemu.guest_agent.0", argv);
    }

    [Fact]
    public void Build_LoadSnapshot_StartsFromItWithLoadvm_NotWhenIncoming()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with { LoadSnapshot = "hy-snap-3" });
        var at = argv.ToList().IndexOf("-loadvm");
        Assert.True(at >= 0 && argv[at + 1] == "hy-snap-3", string.Join(' ', argv));
        Assert.DoesNotContain("-loadvm", QemuArgvBuilder.Build(TinyKernel() with { LoadSnapshot = "hy-snap-3", Incoming = true }));
        Assert.DoesNotContain("-loadvm", QemuArgvBuilder.Build(TinyKernel()));
    }

    [Fact]
    public void Build_KvmTwoDisksThreeNics_MatchesGolden()
    {
        var config = TinyKernel() with
        {
            Name = "web01",
            Accelerator = "kvm",
            CpuModel = "host",
            Cpus = 4,
            MemoryMiB = 4096,
            Disks =
            [
                new QemuDisk("/var/lib/hyperion/datastores/local/web01/disk0.qcow2", "qcow2"),
                new QemuDisk("/var/lib/hyperion/datastores/local/web01/disk1.qcow2", "qcow2", ReadOnly: true),
            ],
            Nics =
            [
                new QemuNic("52:54:00:00:00:01", "user"),
                new QemuNic("52:54:00:00:00:02", "br0", "hyt2n1"),
                new QemuNic("52:54:00:00:00:03", "none"),
            ],
            Paths = PathsFor("/var/lib/hyperion/run/vm-2", "/var/lib/hyperion/datastores/local/web01"),
        };

        GoldenFile.AssertMatches("kernel-kvm-disks-nics", QemuArgvBuilder.Build(config));
    }

    [Fact]
    public void Build_DiskBootWithIsoAttached_MatchesGolden()
    {
        var config = TinyKernel() with
        {
            Name = "db01",
            Accelerator = "kvm",
            CpuModel = "host",
            Cpus = 2,
            MemoryMiB = 2048,
            Boot = BootKind.Disk,
            Kernel = null,
            Initrd = null,
            KernelArgs = null,
            Disks =
            [
                new QemuDisk("/srv/ds1/db01/disk0.raw", "raw"),
                new QemuDisk("/srv/ds1/db01/data.qcow2", "qcow2"),
            ],
            Iso = "/srv/ds1/iso/tools.iso",
            Nics = [new QemuNic("52:54:00:aa:bb:cc", "user")],
            Paths = PathsFor("/var/lib/hyperion/run/vm-3", "/srv/ds1/db01"),
        };

        GoldenFile.AssertMatches("disk-boot", QemuArgvBuilder.Build(config));
    }

    [Fact]
    public void Build_CdromBoot_MatchesGolden()
    {
        var config = TinyKernel() with
        {
            Name = "installer",
            Accelerator = "tcg",
            CpuModel = "max",
            Cpus = 2,
            MemoryMiB = 1024,
            Boot = BootKind.Cdrom,
            Kernel = null,
            Initrd = null,
            KernelArgs = null,
            Disks = [new QemuDisk("/srv/ds1/installer/disk0.qcow2", "qcow2")],
            Iso = "/srv/ds1/iso/debian-12.iso",
            Paths = PathsFor("/var/lib/hyperion/run/vm-4", "/srv/ds1/installer"),
        };

        GoldenFile.AssertMatches("cdrom-boot", QemuArgvBuilder.Build(config));
    }

    [Fact]
    public void Build_CommasInNameAndPaths_MatchesGoldenWithCommasDoubled()
    {
        var config = TinyKernel() with
        {
            Name = "a,b",
            Disks = [new QemuDisk("/srv/ds,1/a,b/disk0.qcow2", "qcow2")],
            Iso = "/srv/ds,1/iso/x,y.iso",
            Nics = [new QemuNic("52:54:00:00:00:09", "br0", "hyt5n0")],
            Paths = PathsFor("/var/lib/hy,perion/run/vm-5", "/srv/ds,1/a,b"),
        };

        GoldenFile.AssertMatches("commas", QemuArgvBuilder.Build(config));
    }

    [Fact]
    public void Build_GraphicsOff_MatchesGolden()
    {
        GoldenFile.AssertMatches("graphics-off", QemuArgvBuilder.Build(TinyKernel() with { Graphics = false }));
    }

    [Fact]
    public void Build_DaemonizeOff_MatchesGolden()
    {
        GoldenFile.AssertMatches("daemonize-off", QemuArgvBuilder.Build(TinyKernel() with { Daemonize = false }));
    }

    [Fact]
    public void Build_CommasInPaths_EveryOptionListValueHasCommasDoubled()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with
        {
            Name = "a,b",
            Disks = [new QemuDisk("/d,1/disk0.qcow2", "qcow2")],
            Iso = "/d,1/x.iso",
            Paths = PathsFor("/run/h,1", "/d,1/a,b"),
        });

        Assert.Contains("guest=a,,b,debug-threads=on", argv);
        Assert.Contains("socket,id=qmp,path=/run/h,,1/qmp.sock,server=on,wait=off", argv);
        Assert.Contains("socket,id=serial0,path=/run/h,,1/serial.sock,server=on,wait=off,logfile=/d,,1/a,,b/serial.log,logappend=on", argv);
        Assert.Contains("file=/d,,1/disk0.qcow2,format=qcow2,if=none,id=drive-disk0,discard=unmap", argv);
        Assert.Contains("file=/d,,1/x.iso,format=raw,if=none,id=drive-cd0,media=cdrom,readonly=on", argv);
    }

    [Fact]
    public void Build_CommaInVncSocketPath_IsDoubled()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with { Paths = PathsFor("/run/h,1", "/d") });

        Assert.Contains("unix:/run/h,,1/vnc.sock", argv);
    }

    [Fact]
    public void Build_BridgeNicWithoutTap_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => QemuArgvBuilder.Build(TinyKernel() with { Nics = [new QemuNic("52:54:00:00:00:01", "br0")] }));

        Assert.Contains("needs a tap device", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameConfigTwice_SameArgv()
    {
        Assert.Equal(QemuArgvBuilder.Build(TinyKernel()), QemuArgvBuilder.Build(TinyKernel()));
    }

    [Fact]
    public void Build_KernelBootWithoutKernel_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => QemuArgvBuilder.Build(TinyKernel() with { Kernel = null }));

        Assert.Equal("config", ex.ParamName);
    }

    [Fact]
    public void Build_KernelBootWithoutInitrdOrArgs_OmitsThem()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with { Initrd = null, KernelArgs = " " });

        Assert.DoesNotContain("-initrd", argv);
        Assert.DoesNotContain("-append", argv);
        Assert.Contains("-kernel", argv);
    }

    [Fact]
    public void Build_DiskBoot_IgnoresKernelPaths()
    {
        var argv = QemuArgvBuilder.Build(TinyKernel() with { Boot = BootKind.Disk, Disks = [new QemuDisk("/d/disk0.qcow2", "qcow2")] });

        Assert.DoesNotContain("-kernel", argv);
        Assert.DoesNotContain("-initrd", argv);
        Assert.DoesNotContain("-append", argv);
    }

    [Fact]
    public void Build_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QemuArgvBuilder.Build(null!));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "a,,b")]
    [InlineData(",,", ",,,,")]
    [InlineData("", "")]
    public void Escape_Value_DoublesCommas(string value, string expected)
    {
        Assert.Equal(expected, QemuArgvBuilder.Escape(value));
    }
}
