using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Clones and templates on a real agent with real tiny guests (TCG): linked clones of a template share its disk
/// without ever writing to it (seen from inside the guests and from outside with qemu-img), the template is protected
/// while they depend on it, a full clone of a running VM is an independent copy that boots, guest customization
/// reaches the guest through the cloud-init seed, and bad input (a full datastore among it) leaves nothing behind.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CloneTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task LinkedClones_WritesNeverReachTheTemplate_TemplateProtectedWhileTheyDependOnIt()
    {
        var gold = await Api.CreateTinyAsync("gold", "hyperion.write=golden-image", 128, new VmDiskRequest("16M"));
        await Api.PowerOkAsync("gold", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("gold"), l => l.Contains("disk: golden-image", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the golden disk written");
        await Api.PowerOkAsync("gold", "power-off");
        var goldDisk = Path.Combine(gold.Folder, gold.Disks[0].Path);

        var template = (await Api.SendAsync(HttpMethod.Post, "/api/vms/gold/mark-template")).As<VmDto>();
        Assert.True(template.Template);

        // A template is never powered on or changed in place.
        Assert.Equal("vm.is-template", (await RefusedAsync(HttpMethod.Post, "/api/vms/gold/power-on", null, HttpStatusCode.Conflict)).Code);
        Assert.Equal("vm.is-template", (await RefusedAsync(HttpMethod.Patch, "/api/vms/gold", new VmReconfigureRequest { Cpus = 2 }, HttpStatusCode.Conflict)).Code);
        Assert.Equal("vm.is-template", (await RefusedAsync(HttpMethod.Post, "/api/vms/gold/snapshots", new SnapshotCreateRequest("x"), HttpStatusCode.Conflict)).Code);

        // Two linked clones: one overwrites its disk's first record, the other only reads it.
        var writer = (await Api.SendAsync(HttpMethod.Post, "/api/vms/gold/clone", new VmCloneRequest("lc-writer") { Linked = true })).As<VmDto>(HttpStatusCode.Created);
        var reader = (await Api.SendAsync(HttpMethod.Post, "/api/vms/gold/clone", new VmCloneRequest("lc-reader") { Linked = true })).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal(template.Uuid, writer.LinkedTemplateUuid);
        Assert.NotEqual(template.Uuid, writer.Uuid);
        Assert.False(writer.Template);

        // Outside: each clone disk is a small overlay whose backing file is the template's disk.
        foreach (var clone in new[] { writer, reader })
        {
            using var info = JsonDocument.Parse(await QemuImgAsync("info", "--output=json", "-U", Path.Combine(clone.Folder, clone.Disks[0].Path)));
            Assert.Equal(Path.GetFullPath(goldDisk), Path.GetFullPath(Path.Combine(clone.Folder, info.RootElement.GetProperty("backing-filename").GetString()!)));
            Assert.True(info.RootElement.GetProperty("actual-size").GetInt64() < 2 * 1024 * 1024, "a linked clone's disk holds only its own writes");
        }

        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/lc-writer", new VmReconfigureRequest { KernelArgs = "hyperion.write=written-by-the-clone" })).As<VmDto>();
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/lc-reader", new VmReconfigureRequest { KernelArgs = "hyperion.quiet-disk=1" })).As<VmDto>();
        await Api.PowerOkAsync("lc-writer", "power-on");
        await Api.PowerOkAsync("lc-reader", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("lc-writer"), l => l.Contains("disk: written-by-the-clone", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the writer clone reads its own write back");
        await Eventually.GetAsync(() => Api.SerialAsync("lc-reader"), l => l.Contains("disk: golden-image", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the reader clone sees the template's content");
        await Api.PowerOkAsync("lc-writer", "power-off");
        await Api.PowerOkAsync("lc-reader", "power-off");

        // Inside said it; outside agrees: the template's disk still starts with its own record, and is consistent.
        Assert.StartsWith("golden-image\n", await FirstBytesAsync(goldDisk), StringComparison.Ordinal);
        Assert.StartsWith("written-by-the-clone\n", await FirstBytesAsync(Path.Combine(writer.Folder, writer.Disks[0].Path)), StringComparison.Ordinal);
        await QemuImgAsync("check", goldDisk);

        // Protected while linked clones depend on it: no delete, no turning back into a VM; both name the dependants.
        var delete = await RefusedAsync(HttpMethod.Delete, "/api/vms/gold", null, HttpStatusCode.Conflict);
        Assert.Equal("template.in-use", delete.Code);
        Assert.Contains("lc-reader", delete.Detail, StringComparison.Ordinal);
        Assert.Contains("lc-writer", delete.Detail, StringComparison.Ordinal);
        Assert.Equal("template.in-use", (await RefusedAsync(HttpMethod.Post, "/api/vms/gold/mark-vm", null, HttpStatusCode.Conflict)).Code);
        Assert.True(File.Exists(goldDisk));

        // A linked clone's disks cannot be moved away from their base.
        Assert.Equal("migration.incompatible", (await RefusedAsync(HttpMethod.Get, "/api/vms/lc-reader/migration/source", null, HttpStatusCode.Conflict)).Code);

        // A full clone of a linked clone is standalone (flattened), and reads what the linked clone had.
        var flat = (await Api.SendAsync(HttpMethod.Post, "/api/vms/lc-writer/clone", new VmCloneRequest("lc-flat"))).As<VmDto>(HttpStatusCode.Created);
        Assert.Null(flat.LinkedTemplateUuid);
        using (var info = JsonDocument.Parse(await QemuImgAsync("info", "--output=json", Path.Combine(flat.Folder, flat.Disks[0].Path))))
        {
            Assert.False(info.RootElement.TryGetProperty("backing-filename", out _));
        }

        Assert.StartsWith("written-by-the-clone\n", await FirstBytesAsync(Path.Combine(flat.Folder, flat.Disks[0].Path)), StringComparison.Ordinal);

        foreach (var name in new[] { "lc-writer", "lc-reader", "lc-flat" })
        {
            (await Api.SendAsync(HttpMethod.Delete, $"/api/vms/{name}")).EnsureStatus(HttpStatusCode.NoContent);
        }

        Assert.False((await Api.SendAsync(HttpMethod.Post, "/api/vms/gold/mark-vm")).As<VmDto>().Template);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/gold")).EnsureStatus(HttpStatusCode.NoContent);
        var events = await Api.EventsAsync();
        Assert.Contains(events, e => e.Type == "vm.cloned" && e.VmName == "lc-writer" && e.Message.Contains("linked clone of 'gold'", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "vm.marked-template" && e.VmName == "gold");
    }

    [Fact]
    public async Task FullClone_OfARunningVm_IsAnIndependentCopyThatBoots()
    {
        await Api.CreateTinyAsync("busy", "hyperion.diskwrite=50", 128, new VmDiskRequest("32M"), new VmDiskRequest("8M"));
        await Api.PowerOkAsync("busy", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("busy"), l => DiskRecords.Count(l) >= 30, TimeSpan.FromSeconds(90), "the guest writing its disk");

        // Every record the guest reported written before the clone began is in the copy (one instant, all disks).
        var written = DiskRecords.Count(await Api.SerialAsync("busy"));
        var copy = (await Api.SendAsync(HttpMethod.Post, "/api/vms/busy/clone", new VmCloneRequest("busy-copy"))).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal("poweredOff", copy.PowerState);
        Assert.Equal(2, copy.Disks.Count);
        Assert.Equal("poweredOn", (await Api.GetVmAsync("busy")).PowerState);
        var ticksBefore = TinyGuestLog.LastTick(await Api.SerialAsync("busy"));
        await Api.WaitForTickAsync("busy", ticksBefore + 2);

        // A standalone, consistent qcow2 per disk, of the source's sizes.
        var source = await Api.GetVmAsync("busy");
        for (var i = 0; i < copy.Disks.Count; i++)
        {
            var path = Path.Combine(copy.Folder, copy.Disks[i].Path);
            using var info = JsonDocument.Parse(await QemuImgAsync("info", "--output=json", path));
            Assert.False(info.RootElement.TryGetProperty("backing-filename", out _));
            Assert.Equal(source.Disks[i].SizeBytes, info.RootElement.GetProperty("virtual-size").GetInt64());
            await QemuImgAsync("check", path);
        }

        var records = await FirstBytesAsync(Path.Combine(copy.Folder, copy.Disks[0].Path), written);
        Assert.True(DiskRecords.Expected(written).AsSpan().SequenceEqual(records), $"records 0..{written - 1} in the copy");

        // It boots on its own copy (and writes it); the source's disk does not see that write.
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/busy-copy", new VmReconfigureRequest { KernelArgs = "hyperion.write=the-copy" })).As<VmDto>();
        await Api.PowerOkAsync("busy-copy", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("busy-copy"), l => l.Contains("disk: the-copy", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the copy boots and writes its own disk");
        await Api.PowerOkAsync("busy-copy", "power-off");
        await Api.PowerOkAsync("busy", "power-off");

        // The copy was read from the source's images frozen under temporary delta disks; what the guest wrote meanwhile
        // was merged back: the source writes its own images again, no delta is left, and none of its writes is lost.
        Assert.Equal(["busy-disk0.qcow2", "busy-disk1.qcow2"], source.Disks.Select(d => Path.GetFileName(d.Path)));
        Assert.All(source.Disks, d => Assert.Null(d.Base));
        Assert.Empty(Directory.EnumerateFiles(source.Folder, "*-0000*.qcow2"));
        var writtenInAll = DiskRecords.Count(await Api.SerialAsync("busy"));
        Assert.True(writtenInAll > written, "the source went on writing during and after the copy");
        var sourceRecords = await FirstBytesAsync(Path.Combine(source.Folder, source.Disks[0].Path), writtenInAll);
        Assert.True(DiskRecords.Expected(writtenInAll).AsSpan().SequenceEqual(sourceRecords), $"records 0..{writtenInAll - 1} on the source's own disk");
        await QemuImgAsync("check", Path.Combine(source.Folder, source.Disks[0].Path));
        var events = await Api.EventsAsync();
        Assert.Contains(events, e => e.Type == "vm.cloned" && e.VmName == "busy-copy" && e.Message.Contains("crash-consistent", StringComparison.Ordinal));
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/busy-copy")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/busy")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task LinkedClone_OfARunningVm_FreezesItsDisksUnderADelta_NeitherSeesTheOthersWrites()
    {
        var parent = await Api.CreateTinyAsync("parent", "hyperion.diskwrite=50", 128, new VmDiskRequest("32M"));
        await Api.PowerOkAsync("parent", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("parent"), l => DiskRecords.Count(l) >= 20, TimeSpan.FromSeconds(90), "the parent writing its disk");
        var original = Path.Combine(parent.Folder, parent.Disks[0].Path);

        // A VM with snapshots is refused (they would stay in the frozen image, out of reach of revert).
        (await Api.SendAsync(HttpMethod.Post, "/api/vms/parent/snapshots", new SnapshotCreateRequest("before"))).EnsureStatus(HttpStatusCode.Created);
        var refused = await RefusedAsync(HttpMethod.Post, "/api/vms/parent/clone", new VmCloneRequest("child") { Linked = true }, HttpStatusCode.Conflict);
        Assert.Contains("snapshot", refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await Api.ListVmsAsync(), v => v.Name == "child");
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/parent/snapshots/before")).EnsureStatus(HttpStatusCode.NoContent);

        var written = DiskRecords.Count(await Api.SerialAsync("parent"));
        var child = (await Api.SendAsync(HttpMethod.Post, "/api/vms/parent/clone", new VmCloneRequest("child") { Linked = true })).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal(parent.Uuid, child.LinkedTemplateUuid);

        // The parent runs on, now on a delta disk over its frozen image; the child's disk is an overlay on that image.
        var after = await Api.GetVmAsync("parent");
        Assert.Equal("poweredOn", after.PowerState);
        Assert.Equal("parent-disk0-000001.qcow2", after.Disks[0].Path);
        Assert.Equal(Path.GetFileName(original), after.Disks[0].Base);
        foreach (var image in new[] { Path.Combine(after.Folder, after.Disks[0].Path), Path.Combine(child.Folder, child.Disks[0].Path) })
        {
            using var info = JsonDocument.Parse(await QemuImgAsync("info", "--output=json", "-U", image));
            Assert.Equal(original, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(image)!, info.RootElement.GetProperty("backing-filename").GetString()!)));
            Assert.True(info.RootElement.GetProperty("actual-size").GetInt64() < 2 * 1024 * 1024, "a delta holds only later writes");
        }

        await Eventually.GetAsync(() => Api.SerialAsync("parent"), l => DiskRecords.Count(l) >= written + 20, TimeSpan.FromSeconds(90), "the parent writing on after the clone");
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/child", new VmReconfigureRequest { KernelArgs = "hyperion.write=written-by-the-child" })).As<VmDto>();
        await Api.PowerOkAsync("child", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("child"), l => l.Contains("disk: written-by-the-child", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the child boots and writes its own disk");
        await Api.PowerOkAsync("child", "power-off");
        await Api.PowerOkAsync("parent", "power-off");

        // Outside: the frozen image holds exactly the records written before the clone began (at least), untouched by
        // either; the parent sees all its records through its delta; the child its own write.
        var writtenInAll = DiskRecords.Count(await Api.SerialAsync("parent"));
        var parentRecords = await FirstBytesAsync(Path.Combine(after.Folder, after.Disks[0].Path), writtenInAll);
        Assert.True(DiskRecords.Expected(writtenInAll).AsSpan().SequenceEqual(parentRecords), $"records 0..{writtenInAll - 1} through the parent's delta");
        var frozenRecords = await FirstBytesAsync(original, written);
        Assert.True(DiskRecords.Expected(written).AsSpan().SequenceEqual(frozenRecords), $"records 0..{written - 1} in the frozen image");
        var frozenAll = await FirstBytesAsync(original, writtenInAll);
        Assert.False(DiskRecords.Expected(writtenInAll).AsSpan().SequenceEqual(frozenAll), "later records only in the parent's delta");
        Assert.StartsWith("written-by-the-child\n", await FirstBytesAsync(Path.Combine(child.Folder, child.Disks[0].Path)), StringComparison.Ordinal);
        await QemuImgAsync("check", original);
        await QemuImgAsync("check", Path.Combine(after.Folder, after.Disks[0].Path));

        // The parent's images are not deleted (nor moved) while the child depends on them.
        var delete = await RefusedAsync(HttpMethod.Delete, "/api/vms/parent", null, HttpStatusCode.Conflict);
        Assert.Equal("template.in-use", delete.Code);
        Assert.Contains("child", delete.Detail, StringComparison.Ordinal);
        Assert.Equal("template.in-use", (await RefusedAsync(HttpMethod.Get, "/api/vms/parent/migration/source", null, HttpStatusCode.Conflict)).Code);

        // A second linked clone of the powered-off parent stacks another delta; both children still boot.
        var second = (await Api.SendAsync(HttpMethod.Post, "/api/vms/parent/clone", new VmCloneRequest("child2") { Linked = true })).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal("parent-disk0-000002.qcow2", (await Api.GetVmAsync("parent")).Disks[0].Path);
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/child2", new VmReconfigureRequest { KernelArgs = "hyperion.quiet-disk=1" })).As<VmDto>();
        await Api.PowerOkAsync("child2", "power-on");
        await Api.WaitForTickAsync("child2", 2);
        await Api.PowerOkAsync("child2", "power-off");

        foreach (var name in new[] { "child", "child2", "parent" })
        {
            (await Api.SendAsync(HttpMethod.Delete, $"/api/vms/{name}")).EnsureStatus(HttpStatusCode.NoContent);
        }

        Assert.False(Directory.Exists(parent.Folder));
    }

    [Fact]
    public async Task FullClone_FromASnapshot_HasTheSnapshotsDiskNotTheCurrentOne()
    {
        await Api.CreateTinyAsync("snap-src", "hyperion.write=at-the-snapshot", 128, new VmDiskRequest("8M"));
        await Api.PowerOkAsync("snap-src", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("snap-src"), l => l.Contains("disk: at-the-snapshot", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the first record");
        await Api.PowerOkAsync("snap-src", "power-off");
        (await Api.SendAsync(HttpMethod.Post, "/api/vms/snap-src/snapshots", new SnapshotCreateRequest("before"))).EnsureStatus(HttpStatusCode.Created);
        (await Api.SendAsync(HttpMethod.Patch, "/api/vms/snap-src", new VmReconfigureRequest { KernelArgs = "hyperion.write=after-the-snapshot" })).As<VmDto>();
        await Api.PowerOkAsync("snap-src", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("snap-src"), l => l.Contains("disk: after-the-snapshot", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the later record");

        // While the source runs on its current disk, the clone takes the snapshot's.
        var copy = (await Api.SendAsync(HttpMethod.Post, "/api/vms/snap-src/clone", new VmCloneRequest("from-before") { Snapshot = "before" })).As<VmDto>(HttpStatusCode.Created);
        Assert.StartsWith("at-the-snapshot\n", await FirstBytesAsync(Path.Combine(copy.Folder, copy.Disks[0].Path)), StringComparison.Ordinal);
        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/api/vms/from-before/snapshots")).As<SnapshotTreeDto>().Snapshots);
        var unknown = await RefusedAsync(HttpMethod.Post, "/api/vms/snap-src/clone", new VmCloneRequest("x") { Snapshot = "never" }, HttpStatusCode.NotFound);
        Assert.Equal("snapshot.not-found", unknown.Code);
        Assert.Equal("request.invalid", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-src/clone", new VmCloneRequest("x") { Snapshot = "before", Linked = true }, HttpStatusCode.BadRequest)).Code);

        await Api.PowerOkAsync("snap-src", "power-off");
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/from-before")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/snap-src")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Customization_ReachesTheGuestThroughTheCloudInitSeed()
    {
        await Api.CreateTinyAsync("base-image", null, 128, new VmDiskRequest("8M"));
        (await Api.SendAsync(HttpMethod.Post, "/api/vms/base-image/mark-template")).As<VmDto>();
        var request = new VmCloneRequest("web-01")
        {
            Linked = true,
            PowerOn = true,
            Customization = new GuestCustomizationDto("web-01.example.test")
            {
                User = "ops",
                SshAuthorizedKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHyperionTestKeyOnlyForTests ops@test"],
                Network = new GuestNetworkDto { Address = "192.0.2.10/24", Gateway = "192.0.2.1" },
            },
        };
        var vm = (await Api.SendAsync(HttpMethod.Post, "/api/vms/base-image/clone", request)).As<VmDto>(HttpStatusCode.Created);
        Assert.Equal("poweredOn", vm.PowerState);
        Assert.True(vm.Customized);
        var log = await Eventually.GetAsync(() => Api.SerialAsync("web-01"), l => l.Contains("cloud-init: address", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the seed read by the guest");
        Assert.Contains("cloud-init: hostname web-01", log, StringComparison.Ordinal);
        Assert.Contains("cloud-init: user ops", log, StringComparison.Ordinal);
        Assert.Contains("cloud-init: address 192.0.2.10/24", log, StringComparison.Ordinal);
        await Api.PowerOkAsync("web-01", "power-off");

        // Once used, the seed can go; the VM then boots without it.
        var seed = Path.Combine(vm.Folder, "cidata.iso");
        Assert.True(File.Exists(seed));
        Assert.False((await Api.SendAsync(HttpMethod.Patch, "/api/vms/web-01", new VmReconfigureRequest { RemoveCustomization = true })).As<VmDto>().Customized);
        Assert.False(File.Exists(seed));

        // Bad customization is refused before anything is made.
        var bad = await RefusedAsync(HttpMethod.Post, "/api/vms/base-image/clone", new VmCloneRequest("bad-host") { Customization = new GuestCustomizationDto("-not_a host") }, HttpStatusCode.BadRequest);
        Assert.Equal("customization.invalid", bad.Code);
        Assert.Equal("customization.hostname", Assert.Single(bad.Errors!).Field);
        Assert.DoesNotContain(await Api.ListVmsAsync(), v => v.Name == "bad-host");
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(vm.Folder)!, "bad-host")));

        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/web-01")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Post, "/api/vms/base-image/mark-vm")).As<VmDto>();
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/base-image")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Cli_AgainstTheHost_MarkListDeployCloneAndTurnBack()
    {
        var cli = new InProcessCli(fixture.Agent.BaseAddress, fixture.Agent.Fingerprint, "root", HostAgentProcess.Password);
        await Api.CreateTinyAsync("cli-gold", null, 128, new VmDiskRequest("8M"));
        Assert.Equal("'cli-gold' is now a template.", (await cli.OkAsync("vm", "mark-template", "cli-gold")).Out.Trim());
        Assert.Contains("template", (await cli.OkAsync("template", "list")).Out, StringComparison.Ordinal);
        Assert.Contains("Template", (await cli.OkAsync("vm", "info", "cli-gold")).Out, StringComparison.Ordinal);

        var deployed = await cli.OkAsync("template", "deploy", "cli-gold", "cli-web", "--linked", "--hostname", "cli-web", "--ip", "192.0.2.20/24", "--gateway", "192.0.2.1");
        Assert.StartsWith("linked clone 'cli-web'", deployed.Out.Trim(), StringComparison.Ordinal);
        var web = await Api.GetVmAsync("cli-web");
        Assert.True(web.Customized);
        Assert.NotNull(web.LinkedTemplateUuid);
        Assert.StartsWith("clone 'cli-copy'", (await cli.OkAsync("vm", "clone", "cli-web", "cli-copy")).Out.Trim(), StringComparison.Ordinal);

        // Options that need a Center, customization without a hostname, a template still in use: clear refusals.
        var centerOnly = await cli.RunAsync("vm", "clone", "cli-web", "x", "--host", "elsewhere");
        Assert.True(centerOnly.ExitCode != 0 && centerOnly.Error.Contains("need a Center", StringComparison.Ordinal), centerOnly.ToString());
        var noHostname = await cli.RunAsync("vm", "clone", "cli-web", "x", "--user", "ops");
        Assert.True(noHostname.ExitCode != 0 && noHostname.Error.Contains("--hostname", StringComparison.Ordinal), noHostname.ToString());
        var inUse = await cli.RunAsync("template", "to-vm", "cli-gold");
        Assert.True(inUse.ExitCode == 1 && inUse.Error.Contains("cli-web", StringComparison.Ordinal), inUse.ToString());
        Assert.DoesNotContain(await Api.ListVmsAsync(), v => v.Name == "x");

        await cli.OkAsync("vm", "delete", "cli-web");
        await cli.OkAsync("vm", "delete", "cli-copy");
        Assert.Equal("'cli-gold' is now a virtual machine.", (await cli.OkAsync("template", "to-vm", "cli-gold")).Out.Trim());
        await cli.OkAsync("vm", "delete", "cli-gold");
    }

    [Fact]
    public async Task BadInput_RefusedBeforeCopying_NothingLeft()
    {
        // A datastore of 8 MiB (tmpfs) cannot take a copy of a 32 MiB raw disk.
        using var small = new TestDirectory("hy-small-ds");
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.Path);
        try
        {
            await using var agent = await HostAgentProcess.StartAsync("tcg", "--datastore", $"small={small.Path}");
            var api = agent.Api;
            var raw = Path.Combine(agent.Data.Path, "datastores", "local", "big.raw");
            Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
            await QemuImgAsync("create", "-q", "-f", "raw", raw, "32M");
            (await api.SendAsync(HttpMethod.Post, "/api/vms", new VmCreateRequest { Name = "big", Cpus = 1, MemoryMiB = 128, Image = "tiny", Disks = [new VmDiskRequest(Path: "big.raw")] })).As<VmDto>(HttpStatusCode.Created);

            var full = (await api.SendAsync(HttpMethod.Post, "/api/vms/big/clone", new VmCloneRequest("big-copy") { Datastore = "small" }));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, full.Status);
            Assert.Equal("datastore.no-space", full.Problem().Code);
            Assert.Contains("needs", full.Problem().Detail, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(small.Path));
            Assert.DoesNotContain(await api.ListVmsAsync(), v => v.Name == "big-copy");

            async Task<ProblemDto> Refused(object body, HttpStatusCode status, string source = "big")
            {
                var response = await api.SendAsync(HttpMethod.Post, $"/api/vms/{source}/clone", body);
                Assert.Equal(status, response.Status);
                return response.Problem();
            }

            Assert.Contains("parent's datastore", (await Refused(new VmCloneRequest("lc") { Linked = true, Datastore = "small" }, HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
            Assert.Equal("vm.duplicate-name", (await Refused(new VmCloneRequest("big"), HttpStatusCode.Conflict)).Code);
            Assert.Equal("vm.not-found", (await Refused(new VmCloneRequest("x"), HttpStatusCode.NotFound, "nobody")).Code);
            Assert.Equal("datastore.not-found", (await Refused(new VmCloneRequest("x") { Datastore = "nowhere" }, HttpStatusCode.UnprocessableEntity)).Code);
            Assert.Equal("vm.invalid-spec", (await Refused(new VmCloneRequest("bad/name"), HttpStatusCode.UnprocessableEntity)).Code);
            (await api.SendAsync(HttpMethod.Post, "/api/vms/big/mark-template")).As<VmDto>();
            var elsewhere = await Refused(new VmCloneRequest("lc") { Linked = true, Datastore = "small" }, HttpStatusCode.BadRequest);
            Assert.Contains("parent's datastore", elsewhere.Detail, StringComparison.Ordinal);
            Assert.Equal(["big"], (await api.ListVmsAsync()).Select(v => v.Name));
            Assert.Empty(Directory.EnumerateFileSystemEntries(small.Path));
        }
        finally
        {
            await RunAsync("umount", small.Path);
        }
    }

    private async Task<ProblemDto> RefusedAsync(HttpMethod method, string path, object? body, HttpStatusCode status)
    {
        var response = await Api.SendAsync(method, path, body);
        Assert.Equal(status, response.Status);
        return response.Problem();
    }

    /// <summary>The guest-visible first 4 KiB of a disk image as text (through the format and any backing file).</summary>
    private static async Task<string> FirstBytesAsync(string image) =>
        System.Text.Encoding.ASCII.GetString(await FirstBytesAsync(image, 1)).TrimEnd('\0');

    /// <summary>The guest-visible first <paramref name="blocks"/> 4 KiB blocks of a disk image (qemu-img dd, -U: the VM may run).</summary>
    private static async Task<byte[]> FirstBytesAsync(string image, int blocks)
    {
        using var scratch = new TestDirectory("hy-first");
        var output = Path.Combine(scratch.Path, "first.raw");
        await QemuImgAsync("dd", "-U", "-O", "raw", "bs=4096", $"count={blocks}", $"if={image}", $"of={output}");
        return await File.ReadAllBytesAsync(output);
    }

    private static Task<string> QemuImgAsync(params string[] args) => ExternalTool.QemuImgAsync(args);

    private static Task<string> RunAsync(string file, params string[] args) => ExternalTool.RunAsync(file, args);
}
