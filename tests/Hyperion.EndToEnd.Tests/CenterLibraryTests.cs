using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The content library through a real Center and the CLI, on two real hosts: a disk image uploaded to each host,
/// a deploy that must say which host, a deploy task on host B whose guest reads the image, the VM exported as OVA
/// through the Center and imported on host A, where it boots again; a read-only user refused.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CenterLibraryTests(MigrationLab lab) : IClassFixture<MigrationLab>
{
    [Fact]
    public async Task Library_ThroughCenterCli_UploadDeployExportImport_AcrossHosts()
    {
        var cli = new InProcessCli(lab.Center.BaseAddress, lab.Center.Fingerprint, CenterProcess.AdminUser, CenterProcess.AdminPassword);
        using var scratch = new TestDirectory("hy-center-lib");
        var raw = Path.Combine(scratch.Path, "base.raw");
        await using (var file = File.Create(raw))
        {
            file.SetLength(8 * 1024 * 1024);
            await file.WriteAsync(Encoding.ASCII.GetBytes("center-library\n"));
        }

        var image = Path.Combine(scratch.Path, "base.qcow2");
        await ExternalTool.RunAsync("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, image);

        var imported = await cli.OkAsync("library", "import", image, "--host", lab.HostA.Id);
        Assert.Contains("imported 'base' (disk, ", imported.Out, StringComparison.Ordinal);
        await cli.OkAsync("library", "import", image, "--host", lab.HostB.Id);
        var items = JsonSerializer.Deserialize<CenterLibraryItemDto[]>((await cli.OkAsync("library", "list", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal(new[] { lab.HostA.Id, lab.HostB.Id }.Order(StringComparer.Ordinal), items.Where(i => i.Item.Name == "base").Select(i => i.HostId).Order(StringComparer.Ordinal));

        // Two hosts have 'base': the deploy must say which.
        var ambiguous = await cli.RunAsync("library", "deploy", "base", "from-lib", "--image", "tiny");
        Assert.True(ambiguous.ExitCode != 0, ambiguous.ToString());
        Assert.Contains("2 hosts have an item 'base'", ambiguous.Error, StringComparison.Ordinal);
        var deployed = JsonSerializer.Deserialize<CenterVmDto>((await cli.OkAsync("library", "deploy", "base", "from-lib", "--image", "tiny", "--memory", "128", "--host", lab.HostB.Id, "--power-on", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostB.Id, "poweredOn"), (deployed.HostId, deployed.PowerState));
        await Eventually.GetAsync(() => lab.SerialAsync(deployed.Id), l => l.Contains("disk: center-library", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the library disk read on host B");
        await cli.OkAsync("vm", "power-off", deployed.Id);

        // Exported through the Center (streamed from host B), imported on host A, deployed there: it boots again.
        var ova = Path.Combine(scratch.Path, "from-lib.ova");
        Assert.Contains("exported 'from-lib'", (await cli.OkAsync("vm", "export", "from-lib", ova)).Out, StringComparison.Ordinal);
        await using (var stream = File.OpenRead(ova))
        await using (var reader = new TarReader(stream))
        {
            Assert.Equal("from-lib.ovf", (await reader.GetNextEntryAsync())!.Name);
        }

        await cli.OkAsync("library", "import", ova, "--name", "from-lib-ovf", "--host", lab.HostA.Id);
        var again = JsonSerializer.Deserialize<CenterVmDto>((await cli.OkAsync("library", "deploy", "from-lib-ovf", "again", "--power-on", "--json")).Out, JsonDefaults.Options)!;
        Assert.Equal((lab.HostA.Id, 128L), (again.HostId, again.MemoryMiB));
        await Eventually.GetAsync(() => lab.SerialAsync(again.Id), l => l.Contains("disk: center-library", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the imported OVA booted on host A");

        // Read-only users see the library but change nothing.
        await cli.OkAsync("user", "create", "reader", "--password", "reader-password");
        await cli.OkAsync("permission", "add", "--user", "reader", "--role", "Read-only", "--object", "/dc-motion");
        var reader2 = cli with { User = "reader", Password = "reader-password" };
        Assert.Contains("base", (await reader2.OkAsync("library", "list")).Out, StringComparison.Ordinal);
        var refused = await reader2.RunAsync("library", "import", image, "--name", "sneaky", "--host", lab.HostA.Id);
        Assert.Contains("auth.forbidden", refused.Error, StringComparison.Ordinal);

        foreach (var vm in new[] { deployed, again })
        {
            await lab.DeleteAsync(vm);
        }

        await cli.OkAsync("library", "delete", "base", "--host", lab.HostA.Id);
        await cli.OkAsync("library", "delete", "base", "--host", lab.HostB.Id);
        await cli.OkAsync("library", "delete", "from-lib-ovf");
        Assert.Empty(JsonSerializer.Deserialize<CenterLibraryItemDto[]>((await cli.OkAsync("library", "list", "--json")).Out, JsonDefaults.Options)!);
    }
}
