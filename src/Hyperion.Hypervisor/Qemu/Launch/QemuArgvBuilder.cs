using System.Globalization;
using Hyperion.Domain.Vms;

namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>Builds QEMU's argv from a <see cref="QemuLaunchConfig"/>. Pure: same input, same argv (golden-file tested).</summary>
public static class QemuArgvBuilder
{
    /// <summary>
    /// Extra guest RAM under TCG, in KiB (QEMU sizes RAM in 8 KiB steps). QEMU before 9.0 clears the migration dirty
    /// bitmap of a RAM block whose size is a multiple of 64 pages (256 KiB) on a fast path that forgets to re-arm
    /// TCG's TLB dirty tracking, so a guest's writes after the first pass are lost and the migrated guest crashes
    /// (fixed upstream by "physmem: Fix migration dirty bitmap coherency with TCG memory access", QEMU 9.0).
    /// 8 KiB more makes the size unaligned, which sends QEMU down the per-page path that does re-arm it.
    /// Measured here (QEMU 7.2): a guest rewriting 32 MiB at 50 MiB/s crashed after 5 of 6 migrations at 256 MiB and
    /// arrived intact in every run at 256 MiB + 8 KiB. See ADR 0008.
    /// </summary>
    public const int TcgMigrationSafetyKiB = 8;

    /// <summary>The <c>-m</c> value: MiB as given, except under TCG (see <see cref="TcgMigrationSafetyKiB"/>).</summary>
    public static string MemoryArgument(QemuLaunchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Accelerator == "tcg"
            ? ((config.MemoryMiB * 1024L) + TcgMigrationSafetyKiB).ToString(CultureInfo.InvariantCulture) + "k"
            : config.MemoryMiB.ToString(CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> Build(QemuLaunchConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var a = new List<string>();
        void Add(params string[] items) => a.AddRange(items);

        Add("-name", $"guest={Escape(config.Name)},debug-threads=on");
        Add("-uuid", config.Uuid.ToString("D"));
        Add("-no-user-config", "-nodefaults");
        Add("-machine", "q35");
        Add("-accel", config.Accelerator == "tcg" ? "tcg,thread=multi" : config.Accelerator);
        Add("-cpu", config.CpuModel);
        Add("-smp", config.Cpus.ToString(CultureInfo.InvariantCulture));
        Add("-m", MemoryArgument(config));
        Add("-rtc", "base=utc");
        Add("-msg", "timestamp=on");

        // QMP first so the supervisor can always reach the monitor.
        Add("-chardev", $"socket,id=qmp,path={Escape(config.Paths.QmpSocket)},server=on,wait=off");
        Add("-mon", "chardev=qmp,mode=control");

        // The serial chardev also logs to a file: QEMU drops output while no client is connected otherwise,
        // and the file is what keeps console history across agent restarts.
        Add("-chardev", $"socket,id=serial0,path={Escape(config.Paths.SerialSocket)},server=on,wait=off,logfile={Escape(config.Paths.SerialLog)},logappend=on");
        Add("-serial", "chardev:serial0");

        if (config.Graphics)
        {
            Add("-device", "VGA,id=video0");
            Add("-vnc", $"unix:{Escape(config.Paths.VncSocket)}");
        }
        else
        {
            Add("-display", "none");
        }

        for (var i = 0; i < config.Disks.Count; i++)
        {
            var disk = config.Disks[i];
            var drive = $"file={Escape(disk.Path)},format={disk.Format},if=none,id=drive-disk{i},discard=unmap";
            if (disk.ReadOnly)
            {
                drive += ",readonly=on";
            }

            Add("-drive", drive);
            var device = $"virtio-blk-pci,drive=drive-disk{i},id=disk{i}";
            if (config.Boot == BootKind.Disk && i == 0)
            {
                device += ",bootindex=1";
            }

            Add("-device", device);
        }

        if (config.Iso is not null)
        {
            Add("-drive", $"file={Escape(config.Iso)},format=raw,if=none,id=drive-cd0,media=cdrom,readonly=on");
            var device = "ide-cd,drive=drive-cd0,id=cd0,bus=ide.0";
            if (config.Boot == BootKind.Cdrom)
            {
                device += ",bootindex=0";
            }

            Add("-device", device);
        }

        for (var i = 0; i < config.Nics.Count; i++)
        {
            var nic = config.Nics[i];
            var netdev = nic.Network switch
            {
                "user" => $"user,id=net{i}",

                // A hub port on a hub of its own: the NIC exists for the guest but carries nothing.
                "none" => $"hubport,id=net{i},hubid={100 + i}",
                var bridge => $"tap,id=net{i},ifname={nic.Tap ?? throw new ArgumentException($"NIC {i} on bridge '{bridge}' needs a tap device", nameof(config))},script=no,downscript=no",
            };
            Add("-netdev", netdev);
            Add("-device", $"virtio-net-pci,netdev=net{i},id=nic{i},mac={nic.Mac}");
        }

        if (config.GuestAgent)
        {
            // The guest sees a virtio console port by qemu-ga's well-known name; QEMU serves its host end as a unix
            // socket the agent's client connects to per call (wait=off: the guest runs without a client connected).
            Add("-chardev", $"socket,id=qga0,path={Escape(config.Paths.GuestAgent)},server=on,wait=off");
            Add("-device", "virtio-serial-pci,id=vserial0");
            Add("-device", "virtserialport,bus=vserial0.0,chardev=qga0,name=org.qemu.guest_agent.0");
        }

        if (config.Boot == BootKind.Kernel)
        {
            if (config.Kernel is null)
            {
                throw new ArgumentException("kernel boot needs a kernel path", nameof(config));
            }

            Add("-kernel", config.Kernel);
            if (config.Initrd is not null)
            {
                Add("-initrd", config.Initrd);
            }

            if (!string.IsNullOrWhiteSpace(config.KernelArgs))
            {
                Add("-append", config.KernelArgs);
            }
        }

        if (config.Incoming)
        {
            Add("-S", "-incoming", "defer");
        }
        else if (config.LoadSnapshot is { } snapshot)
        {
            Add("-loadvm", snapshot);
        }

        Add("-pidfile", config.Paths.PidFile);
        if (config.Daemonize)
        {
            Add("-daemonize");
        }

        return a;
    }

    /// <summary>QEMU option values are comma-separated; a literal comma is written twice.</summary>
    internal static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
