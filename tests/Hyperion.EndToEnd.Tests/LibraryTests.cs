using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hyperion.Contracts.Library;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// The content library on a real agent: disk images of four formats imported (kept as qcow2, content identical per
/// qemu-img compare) and deployed as a tiny guest's disk; an ISO attached on deploy and protected while used; a VM
/// exported as OVA (descriptor first, manifest hashes right) and imported back, booting on the same disk content;
/// bad uploads refused with nothing left behind.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LibraryTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    private string LibraryFolder => Path.Combine(fixture.Agent.Data.Path, "datastores", "local", "library");

    [Fact]
    public async Task DiskImagesOfEveryFormat_KeptAsQcow2WithTheSameContent_DeployedAsADisk()
    {
        using var scratch = new TestDirectory("hy-lib-disks");
        var raw = Path.Combine(scratch.Path, "source.raw");
        await using (var file = File.Create(raw))
        {
            file.SetLength(16 * 1024 * 1024);
            await file.WriteAsync(Encoding.ASCII.GetBytes("library-disk\n"));
            file.Position = 9 * 1024 * 1024;
            await file.WriteAsync(RandomNumberGenerator.GetBytes(256 * 1024));
        }

        foreach (var format in new[] { "qcow2", "vmdk", "vdi" })
        {
            await ExternalTool.RunAsync("qemu-img", "convert", "-f", "raw", "-O", format, raw, Path.Combine(scratch.Path, $"source.{format}"));
        }

        foreach (var format in new[] { "raw", "qcow2", "vmdk", "vdi" })
        {
            var item = (await Api.UploadAsync($"/api/library?name=disk-{format}&fileName=source.{format}", Path.Combine(scratch.Path, $"source.{format}"))).As<LibraryItemDto>(HttpStatusCode.Created);
            Assert.Equal(("disk", "local"), (item.Type, item.Datastore));
            var disk = Assert.Single(item.Files);
            Assert.Equal(("qcow2", (long?)(16 * 1024 * 1024)), (disk.Format, disk.VirtualSizeBytes));
            Assert.Contains(format, item.Source, StringComparison.Ordinal);
            await ExternalTool.RunAsync("qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, Path.Combine(LibraryFolder, item.Name, disk.Name));
        }

        var listed = (await Api.SendAsync(HttpMethod.Get, "/api/library")).As<List<LibraryItemDto>>();
        Assert.Equal(["disk-qcow2", "disk-raw", "disk-vdi", "disk-vmdk"], listed.Select(i => i.Name));

        // Deployed: the disk is copied into the VM's folder; the tiny guest reads the marker written on the original.
        var vm = (await Api.SendAsync(HttpMethod.Post, "/api/library/disk-vmdk/deploy", new LibraryDeployRequest("from-vmdk") { Image = "tiny", MemoryMiB = 128, PowerOn = true })).As<VmDto>(HttpStatusCode.Created);
        Assert.StartsWith(vm.Folder, Path.GetFullPath(Path.Combine(vm.Folder, vm.Disks[0].Path)), StringComparison.Ordinal);
        await Eventually.GetAsync(() => Api.SerialAsync("from-vmdk"), l => l.Contains("disk: library-disk", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the deployed disk read by the guest");
        await Api.PowerOkAsync("from-vmdk", "power-off");
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/from-vmdk")).EnsureStatus(HttpStatusCode.NoContent);
        foreach (var item in listed)
        {
            (await Api.SendAsync(HttpMethod.Delete, $"/api/library/{item.Name}")).EnsureStatus(HttpStatusCode.NoContent);
        }

        Assert.DoesNotContain((await Api.SendAsync(HttpMethod.Get, "/api/library")).As<List<LibraryItemDto>>(), i => i.Name.StartsWith("disk-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Iso_AttachedOnDeploy_AndProtectedWhileAVmUsesIt()
    {
        using var scratch = new TestDirectory("hy-lib-iso");
        await File.WriteAllTextAsync(Path.Combine(scratch.Path, "readme.txt"), "installer");
        var iso = Path.Combine(scratch.Path, "installer.iso");
        await ExternalTool.RunAsync("genisoimage", "-quiet", "-o", iso, "-V", "INSTALLER", Path.Combine(scratch.Path, "readme.txt"));

        var item = (await Api.UploadAsync("/api/library?fileName=installer.iso", iso)).As<LibraryItemDto>(HttpStatusCode.Created);
        Assert.Equal(("installer", "iso"), (item.Name, item.Type));
        var vm = (await Api.SendAsync(HttpMethod.Post, "/api/library/installer/deploy", new LibraryDeployRequest("installing") { DiskSize = "8M" })).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal("cdrom", vm.Boot.Kind);
        Assert.Equal(Path.Combine(LibraryFolder, "installer", "installer.iso"), vm.Boot.Iso);
        Assert.Single(vm.Disks);

        var inUse = await Api.SendAsync(HttpMethod.Delete, "/api/library/installer");
        Assert.Equal(HttpStatusCode.Conflict, inUse.Status);
        Assert.Equal("library.item-in-use", inUse.Problem().Code);
        Assert.Contains("installing", inUse.Problem().Detail, StringComparison.Ordinal);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/installing")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/library/installer")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Ova_ExportThenImport_BootsOnTheSameDisk()
    {
        var source = await Api.CreateTinyAsync("ova-src", "hyperion.write=ova-roundtrip", 192, new VmDiskRequest("16M"), new VmDiskRequest("8M"));
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/ova-src", new VmReconfigureRequest { Cpus = 2 })).As<VmDto>();
        await Api.PowerOkAsync("ova-src", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("ova-src"), l => l.Contains("disk: ova-roundtrip", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the marker written");
        var running = await Api.SendAsync(HttpMethod.Get, "/api/vms/ova-src/export");
        Assert.Equal(HttpStatusCode.Conflict, running.Status);
        await Api.PowerOkAsync("ova-src", "power-off");
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/ova-src", new VmReconfigureRequest { KernelArgs = "hyperion.reads-only=1" })).As<VmDto>();

        using var scratch = new TestDirectory("hy-lib-ova");
        var ova = Path.Combine(scratch.Path, "ova-src.ova");
        await using (var file = File.Create(ova))
        {
            using var response = await Api.Http.GetAsync(new Uri("/api/vms/ova-src/export", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(file);
        }

        // The package as the OVA format wants it: descriptor first, then the manifest, whose hashes hold.
        var entries = new List<(string Name, byte[] Data)>();
        await using (var stream = File.OpenRead(ova))
        await using (var reader = new TarReader(stream))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                using var data = new MemoryStream();
                await entry.DataStream!.CopyToAsync(data);
                entries.Add((entry.Name, data.ToArray()));
            }
        }

        Assert.Equal(["ova-src.ovf", "ova-src.mf", "ova-src-disk1.vmdk", "ova-src-disk2.vmdk"], entries.Select(e => e.Name));
        var manifest = Encoding.UTF8.GetString(entries[1].Data);
        foreach (var (name, data) in entries.Where(e => e.Name != "ova-src.mf"))
        {
            Assert.Contains($"SHA256({name})= {Convert.ToHexStringLower(SHA256.HashData(data))}", manifest, StringComparison.Ordinal);
        }

        var descriptor = Encoding.UTF8.GetString(entries[0].Data);
        Assert.Contains("<rasd:VirtualQuantity>192</rasd:VirtualQuantity>", descriptor, StringComparison.Ordinal);
        Assert.Contains("streamOptimized", descriptor, StringComparison.Ordinal);

        var item = (await Api.UploadAsync("/api/library?name=ova-template&fileName=ova-src.ova", ova)).As<LibraryItemDto>(HttpStatusCode.Created);
        Assert.Equal(("ovf", 2, 192L, "tiny", "hyperion.reads-only=1"), (item.Type, item.Cpus, item.MemoryMiB, item.BootImage, item.KernelArgs));
        Assert.Equal([16L * 1024 * 1024, 8L * 1024 * 1024], item.Files.Select(f => f.VirtualSizeBytes ?? 0));

        var copy = (await Api.SendAsync(HttpMethod.Post, "/api/library/ova-template/deploy", new LibraryDeployRequest("ova-copy") { PowerOn = true })).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal((2, 192L, 2), (copy.Cpus, copy.MemoryMiB, copy.Disks.Count));
        await Eventually.GetAsync(() => Api.SerialAsync("ova-copy"), l => l.Contains("disk: ova-roundtrip", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the imported VM reads the exported disk");
        await Api.PowerOkAsync("ova-copy", "power-off");
        await ExternalTool.RunAsync("qemu-img", "compare", Path.Combine(source.Folder, source.Disks[0].Path), Path.Combine(copy.Folder, copy.Disks[0].Path));

        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/ova-copy")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/ova-src")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/library/ova-template")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task BadUploads_Refused_NothingLeft()
    {
        using var scratch = new TestDirectory("hy-lib-bad");
        var notTar = Path.Combine(scratch.Path, "broken.ova");
        await File.WriteAllBytesAsync(notTar, RandomNumberGenerator.GetBytes(4096));
        var notIso = Path.Combine(scratch.Path, "fake.iso");
        await File.WriteAllBytesAsync(notIso, new byte[64 * 1024]);

        // A qcow2 overlay naming a host file as its backing file would let an upload read it.
        var overlay = Path.Combine(scratch.Path, "overlay.qcow2");
        await ExternalTool.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F", "raw", overlay);

        // An OVA whose descriptor names a disk the archive does not hold.
        var hollow = Path.Combine(scratch.Path, "hollow.ova");
        await using (var stream = File.Create(hollow))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Ustar))
        {
            var ovf = new UstarTarEntry(TarEntryType.RegularFile, "hollow.ovf")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("""
                    <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
                      <References><File ovf:id="f1" ovf:href="missing.vmdk"/></References>
                      <DiskSection><Disk ovf:diskId="d1" ovf:fileRef="f1" ovf:capacity="1048576"/></DiskSection>
                      <VirtualSystem ovf:id="hollow"><VirtualHardwareSection>
                        <Item><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
                        <Item><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>64</rasd:VirtualQuantity></Item>
                      </VirtualHardwareSection></VirtualSystem>
                    </Envelope>
                    """)),
            };
            await writer.WriteEntryAsync(ovf);
        }

        async Task Refused(string query, string file, string code, string detail)
        {
            var result = await Api.UploadAsync($"/api/library?{query}", file);
            Assert.Equal(HttpStatusCode.BadRequest, result.Status);
            Assert.Equal(code, result.Problem().Code);
            Assert.Contains(detail, result.Problem().Detail, StringComparison.Ordinal);
        }

        await Refused("fileName=broken.ova", notTar, "library.invalid-content", "not an OVA");
        await Refused("fileName=fake.iso", notIso, "library.invalid-content", "not an ISO 9660 image");
        await Refused("fileName=overlay.qcow2", overlay, "library.invalid-content", "backing file");
        await Refused("fileName=hollow.ova", hollow, "library.invalid-content", "missing.vmdk");
        await Refused("fileName=x.img&type=floppy", notIso, "request.invalid", "type");
        await Refused("name=bad%2Fname&fileName=x.img", notIso, "request.invalid", "item name");

        (await Api.UploadAsync("/api/library?name=dup&fileName=x.img", notIso)).EnsureStatus(HttpStatusCode.Created);
        var duplicate = await Api.UploadAsync("/api/library?name=dup&fileName=x.img", notIso);
        Assert.Equal((HttpStatusCode.Conflict, "library.duplicate-name"), (duplicate.Status, duplicate.Problem().Code));
        Assert.Equal("library.item-not-found", (await Api.SendAsync(HttpMethod.Post, "/api/library/nothing/deploy", new LibraryDeployRequest("x"))).Problem().Code);
        (await Api.SendAsync(HttpMethod.Post, "/api/library/dup/deploy", new LibraryDeployRequest("dup-vm"))).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal("vm.duplicate-name", (await Api.SendAsync(HttpMethod.Post, "/api/library/dup/deploy", new LibraryDeployRequest("dup-vm"))).Problem().Code);
        Assert.Equal("image.not-found", (await Api.SendAsync(HttpMethod.Post, "/api/library/dup/deploy", new LibraryDeployRequest("other") { Image = "/boot/nothing" })).Problem().Code);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/dup-vm")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/library/dup")).EnsureStatus(HttpStatusCode.NoContent);

        // Nothing half-imported stays: no staging folders, no items.
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(LibraryFolder), e => Path.GetFileName(e).StartsWith('.') || Path.GetFileName(e) is "broken" or "fake" or "overlay" or "hollow");
    }
}
