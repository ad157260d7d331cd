using System.Text;
using Hyperion.Domain.Vms;
using Hyperion.Hypervisor.CloudInit;
using Hyperion.Hypervisor.Processes;
using Hyperion.Testing;

namespace Hyperion.Hypervisor.Tests.CloudInit;

/// <summary>The writer with the real genisoimage; the image is checked by its volume descriptor and with isoinfo (same package).</summary>
[Trait("Category", "Qemu")]
public sealed class NoCloudSeedIsoTests : IDisposable
{
    private readonly TestDirectory _dir = new("hyiso");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_RealGenisoimage_Iso9660LabelledCidataHoldingTheRenderedFiles()
    {
        var customization = new GuestCustomization
        {
            Hostname = $"seed-{Guid.NewGuid():N}"[..13] + ".example.test",
            User = "alice",
            Password = "pa ss\"word",
            SshAuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHr6dLw3mE4Cq1n0yq7c2kJt0Vh5Bz2nQy0j8m1pYfXk alice@laptop"],
            Network = GuestNetwork.Static("10.0.2.15/24", "10.0.2.2", ["10.0.2.3"]),
        };
        var iso = _dir.Combine("vm folder", "seed.iso");
        Directory.CreateDirectory(Path.GetDirectoryName(iso)!);

        await new NoCloudSeedWriter(new SystemProcessRunner()).WriteAsync(customization, "vm-9-2", iso, CancellationToken.None);

        // Primary volume descriptor: sector 16 (0x8000): type 1, "CD001", volume id at 0x8028 (32 bytes, space padded).
        var bytes = await File.ReadAllBytesAsync(iso);
        Assert.True(bytes.Length > 0x8800, $"image of {bytes.Length} bytes");
        Assert.Equal(1, bytes[0x8000]);
        Assert.Equal("CD001", Encoding.ASCII.GetString(bytes, 0x8001, 5));
        Assert.Equal("cidata", Encoding.ASCII.GetString(bytes, 0x8028, 32).TrimEnd(' '));

        var expected = NoCloudSeed.Render(customization, "vm-9-2");
        var description = await IsoInfoAsync("-d", "-i", iso);
        Assert.Contains("Volume id: cidata\n", description, StringComparison.Ordinal);
        Assert.Contains("Rock Ridge signatures", description, StringComparison.Ordinal);
        Assert.Contains("Joliet", description, StringComparison.Ordinal);
        Assert.Equal(["/meta-data", "/network-config", "/user-data"], (await IsoInfoAsync("-R", "-f", "-i", iso)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal(expected.MetaData, await IsoInfoAsync("-R", "-i", iso, "-x", "/meta-data"));
        Assert.Equal(expected.UserData, await IsoInfoAsync("-R", "-i", iso, "-x", "/user-data"));
        Assert.Equal(expected.NetworkConfig, await IsoInfoAsync("-R", "-i", iso, "-x", "/network-config"));
    }

    [Fact]
    public async Task WriteAsync_ExistingSeed_ReplacedWhole()
    {
        var iso = _dir.Combine("seed.iso");
        var writer = new NoCloudSeedWriter(new SystemProcessRunner());
        await writer.WriteAsync(new GuestCustomization { Hostname = "first" }, "vm-1-1", iso, CancellationToken.None);

        await writer.WriteAsync(new GuestCustomization { Hostname = "second" }, "vm-1-2", iso, CancellationToken.None);

        Assert.Equal("instance-id: \"vm-1-2\"\nlocal-hostname: \"second\"\n", await IsoInfoAsync("-R", "-i", iso, "-x", "/meta-data"));
        Assert.Equal(["seed.iso"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    private static async Task<string> IsoInfoAsync(params string[] arguments)
    {
        var result = await new SystemProcessRunner().RunAsync(new ProcessSpec("isoinfo", arguments) { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        Assert.True(result.Succeeded, $"isoinfo {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        return result.StandardOutput;
    }
}
