using System.Diagnostics;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>Boot sources other than the tiny guest's kernel: an imported disk image and an ISO.</summary>
[Trait("Category", "EndToEnd")]
public sealed class BootSourceTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task Create_ImageFile_ImportedAsQcow2BootDiskAndRuns()
    {
        var image = Path.Combine(fixture.Agent.Data.Path, "appliance.raw");
        await File.WriteAllTextAsync(image, "appliance-marker\n");
        using (var resize = Process.Start("qemu-img", ["resize", "-f", "raw", image, "8M"])!)
        {
            await resize.WaitForExitAsync();
        }

        var vm = await Api.CreateVmAsync(new VmCreateRequest { Name = "appliance", Cpus = 1, MemoryMiB = 64, Image = image, Disks = [new VmDiskRequest(Size: "16M")] });

        Assert.Equal("disk", vm.Boot.Kind);
        Assert.Equal(2, vm.Disks.Count);
        Assert.Equal("appliance-boot.qcow2", vm.Disks[0].Path);
        Assert.Equal(8L * 1024 * 1024, vm.Disks[0].SizeBytes);
        Assert.True(File.Exists(image), "the source image is copied, never moved");

        // Firmware boot: the VM runs (there is no OS on the image, but QEMU, disks and firmware come up).
        var on = await Api.PowerOkAsync("appliance", "power-on");
        Assert.Equal("poweredOn", on.PowerState);
        var argv = await File.ReadAllTextAsync($"/proc/{on.Pid}/cmdline");
        Assert.Contains("appliance-boot.qcow2", argv, StringComparison.Ordinal);
        Assert.Contains("bootindex=1", argv, StringComparison.Ordinal);
        await Api.PowerOkAsync("appliance", "power-off");
    }

    [Fact]
    public async Task Create_IsoImage_AttachedAsBootCdrom()
    {
        var iso = Path.Combine(fixture.Agent.Data.Path, "installer.iso");
        await File.WriteAllBytesAsync(iso, new byte[2 * 1024 * 1024]);

        var vm = await Api.CreateVmAsync(new VmCreateRequest { Name = "installer", Cpus = 1, MemoryMiB = 64, Image = iso, Disks = [new VmDiskRequest(Size: "32M")] });

        Assert.Equal("cdrom", vm.Boot.Kind);
        Assert.Equal(iso, vm.Boot.Iso);
        var on = await Api.PowerOkAsync("installer", "power-on");
        var argv = await File.ReadAllTextAsync($"/proc/{on.Pid}/cmdline");
        Assert.Contains("media=cdrom", argv, StringComparison.Ordinal);
        Assert.Contains("bootindex=0", argv, StringComparison.Ordinal);
        await Api.PowerOkAsync("installer", "power-off");
    }
}
