using System.Diagnostics;
using System.Text.Json;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.CloudInit;
using Hyperion.Hypervisor.Processes;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.CloudInit;

/// <summary>
/// A seed written by <see cref="NoCloudSeedWriter"/> reaches a booted guest: the tiny guest (raw QEMU, TCG) mounts it and
/// prints what it received (see tools/tiny-guest/README.md, console contract item 3).
/// </summary>
[Trait("Category", "Qemu")]
public sealed class NoCloudSeedTinyGuestTests : IDisposable
{
    private static readonly TimeSpan BootDeadline = TimeSpan.FromSeconds(30);

    private readonly TestDirectory _dir = new("hycig");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Boot_SeedAsSecondDiskWithStaticAddress_GuestPrintsHostnameUserAndAddress()
    {
        var hostname = $"web-{Guid.NewGuid():N}"[..12] + ".example.test";
        var seed = _dir.Combine("seed.iso");
        await new NoCloudSeedWriter(new SystemProcessRunner()).WriteAsync(
            new GuestCustomization
            {
                Hostname = hostname,
                User = "alice",
                SshAuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHr6dLw3mE4Cq1n0yq7c2kJt0Vh5Bz2nQy0j8m1pYfXk alice@laptop"],
                Network = GuestNetwork.Static("10.0.2.15/24", "10.0.2.2", ["10.0.2.3"]),
            },
            "vm-1-1",
            seed,
            CancellationToken.None);
        var disk = _dir.Combine("disk0.raw");
        await using (var stream = File.Create(disk))
        {
            await stream.WriteAsync("own disk\n"u8.ToArray());
            stream.SetLength(1 << 20);
        }

        var lines = await BootUntilFirstTickAsync(
            "-drive", $"file={disk},format=raw,if=virtio",
            "-drive", $"file={seed},format=raw,if=virtio,readonly=on",
            "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=");

        Assert.Equal(
            [TinyGuestLog.BootMarker, "disk: own disk", $"cloud-init: hostname {hostname}", "cloud-init: user alice", "cloud-init: address 10.0.2.15/24", "tick 1"],
            lines);
    }

    [Fact]
    public async Task Boot_SeedIsTheOnlyDisk_GuestPrintsHostnameAndNoDiskLine()
    {
        var hostname = $"solo{Guid.NewGuid():N}"[..12];
        var seed = _dir.Combine("seed.iso");
        await new NoCloudSeedWriter(new SystemProcessRunner()).WriteAsync(new GuestCustomization { Hostname = hostname }, "vm-2-1", seed, CancellationToken.None);

        var lines = await BootUntilFirstTickAsync("-drive", $"file={seed},format=raw,if=virtio,readonly=on");

        Assert.Equal([TinyGuestLog.BootMarker, $"cloud-init: hostname {hostname}", "tick 1"], lines);
    }

    /// <summary>Boots the tiny guest with the extra QEMU arguments and returns its non-empty console lines up to <c>tick 1</c>.</summary>
    private async Task<IReadOnlyList<string>> BootUntilFirstTickAsync(params string[] extraArguments)
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TinyGuest.Directory, "manifest.json")));
        var cmdline = manifest.RootElement.GetProperty("cmdline").GetString()!;
        var serial = _dir.Combine("serial.log");
        var start = new ProcessStartInfo("qemu-system-x86_64") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])
                 [
                     "-machine", "q35", "-accel", "tcg", "-cpu", "max", "-m", "128", "-nodefaults", "-display", "none", "-no-reboot",
                     "-serial", $"file:{serial}", "-kernel", TinyGuest.Kernel, "-initrd", TinyGuest.Initrd, "-append", cmdline, .. extraArguments,
                 ])
        {
            start.ArgumentList.Add(argument);
        }

        using var qemu = Process.Start(start)!;
        var stderr = qemu.StandardError.ReadToEndAsync();
        try
        {
            var log = await Eventually.GetAsync(
                () => Task.FromResult(qemu.HasExited ? $"QEMU exited ({qemu.ExitCode}): {stderr.Result}" : File.Exists(serial) ? File.ReadAllText(serial) : string.Empty),
                text => TinyGuestLog.LastTick(text) >= 1 || qemu.HasExited,
                BootDeadline,
                "the tiny guest to print tick 1");
            Assert.False(qemu.HasExited, log);
            var lines = log.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            return lines[..(lines.IndexOf("tick 1") + 1)];
        }
        finally
        {
            if (!qemu.HasExited)
            {
                qemu.Kill(entireProcessTree: true);
            }

            await qemu.WaitForExitAsync();
        }
    }
}
