using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Storage vMotion through the Center: a running VM's folder moves from the shared datastore to host A's local one
/// while the guest writes to its disk (block mirror, then pivot), cancelled mid-copy, cold, and refused.
/// </summary>
public sealed partial class StorageMigrationTests(MigrationLab lab) : IClassFixture<MigrationLab>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RunningVm_WritingToItsDisk_MovesToAnotherDatastore_NoWriteLost_TicksContinue()
    {
        // 100 records of 4 KiB per second, each written O_DIRECT|O_DSYNC: the guest never stops writing.
        var vm = await lab.CreateRunningAsync("store-live", "hyperion.diskwrite=100", [new VmDiskRequest("16M")]);
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DiskRecords.Count(l) >= 50, Timeout, "50 records written before the move");
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        Assert.StartsWith(lab.SharedPath, before.Folder, StringComparison.Ordinal);

        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(
            await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null, lab.LocalOfA)), Timeout);
        Assert.Equal("storage", result.Mode);
        Assert.Equal(lab.HostA.Id, result.Vm.HostId);
        Assert.NotNull(result.DowntimeMs);
        Assert.True(result.BytesTransferred > 0);

        // The agent runs it from the new folder; the old one is gone; the Center's record names the new datastore.
        var after = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        Assert.Equal("local", after.Datastore);
        Assert.Equal("poweredOn", after.PowerState);
        Assert.False(Directory.Exists(before.Folder), "the old folder is deleted");
        Assert.True(File.Exists(Path.Combine(after.Folder, after.Disks[0].Path)));
        var record = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(result.Vm.DatastoreId, record.DatastoreId);
        Assert.Equal(1, lab.QemuCount(vm));

        // The guest keeps writing to the copy and ticking into the moved serial log, which holds its whole history.
        var atMove = DiskRecords.Count(await lab.SerialAsync(vm.Id));
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DiskRecords.Count(l) >= atMove + 50, Timeout, "50 more records after the move");
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "every tick is the previous one plus one, across the move");
        Assert.DoesNotContain("dwrite: write", log, StringComparison.Ordinal);

        // Pull the plug, then read the disk from outside: every record the guest said was written is there, intact.
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        var written = DiskRecords.Count(await lab.SerialAsync(vm.Id));
        var actual = await ReadRecordsAsync(Path.Combine(after.Folder, after.Disks[0].Path), written);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(DiskRecords.Expected(written))), Convert.ToHexString(SHA256.HashData(actual)));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task Cancelled_MidCopy_VmKeepsItsFiles_CopyDeleted()
    {
        var vm = await lab.CreateRunningWithDataAsync("store-cancel", "hyperion.diskwrite=50", "64M", filledMiB: 48);
        await lab.WaitForTickAsync(vm.Id, 3);
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var localPath = (await lab.AgentA.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;

        // 1 MiB/s through 48 MiB of data: the cancel lands while it copies.
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null, lab.LocalOfA) { BandwidthMiBps = 1 })).As<TaskDto>(HttpStatusCode.Accepted);
        var running = await Eventually.GetAsync(
            async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(),
            t => t.State == "running" && t.ProgressDetail?.Contains("copying", StringComparison.Ordinal) == true,
            Timeout,
            "the task reports the disks copying");
        Assert.Equal("VirtualMachine.relocate", running.DescriptionId);
        Assert.True(Directory.Exists(Path.Combine(localPath, "store-cancel")), "the copy is being made");

        // Meanwhile the VM's other operations wait: the host refuses them.
        Assert.Equal("vm.invalid-state", (await lab.AgentA.Api.PowerAsync(vm.HostLocalId!, "power-off")).Problem().Code);

        (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("cancelled", done.State);
        var after = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        Assert.Equal(before.Folder, after.Folder);
        Assert.Equal("poweredOn", after.PowerState);
        Assert.False(Directory.Exists(Path.Combine(localPath, "store-cancel")), "the partial copy is deleted");
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task PoweredOffVm_IsCopied_AndBootsFromTheNewDatastore_BadInputRefused()
    {
        var vm = await lab.CreateRunningAsync("store-cold", disks: [new VmDiskRequest("8M")], powerOn: false);
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);

        var unknown = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null, "no-such-datastore"));
        Assert.Equal("datastore.not-found", unknown.Problem().Code);
        var same = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null, MigrationLab.SharedDatastore));
        Assert.Equal("migration.same-host", same.Problem().Code);
        var neither = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null));
        Assert.Equal(HttpStatusCode.BadRequest, neither.Status);
        Assert.Equal(before.Folder, (await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!)).Folder);

        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(
            await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(null, lab.LocalOfA)), Timeout);
        Assert.Equal("storage", result.Mode);
        Assert.Null(result.DowntimeMs);
        var after = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        Assert.Equal("local", after.Datastore);
        Assert.False(Directory.Exists(before.Folder));
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        await lab.WaitForTickAsync(vm.Id, 3);
        await lab.DeleteAsync(vm);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // memory stream and disk mirrors over TLS (the destination's NBD server refuses clients without a certificate of the Center's CA)
    public async Task SharedNothing_RunningVmOnLocalDatastore_MovesToAnotherHostAndItsDatastore_NoWriteLost_TicksContinue(bool tls)
    {
        var vm = await lab.CreateRunningAsync(tls ? "nothing-live-tls" : "nothing-live", "hyperion.diskwrite=100", [new VmDiskRequest("16M")], datastore: "local");
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DiskRecords.Count(l) >= 50, Timeout, "50 records written before the move");
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var localOfB = (await lab.AgentB.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;
        Assert.False(before.Folder.StartsWith(localOfB, StringComparison.Ordinal));

        // Without a datastore of B the move is refused before anything happens: A's local disk is out of B's reach.
        var unreachable = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id));
        Assert.Equal("migration.incompatible", unreachable.Problem().Code);
        Assert.Contains("shared-nothing", unreachable.Problem().Detail, StringComparison.Ordinal);

        var accepted = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id, lab.LocalOfB) { Tls = tls ? true : null });
        Assert.Equal("VirtualMachine.relocate", accepted.As<TaskDto>(HttpStatusCode.Accepted).DescriptionId);
        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(accepted, Timeout);
        Assert.Equal(("shared-nothing", tls), (result.Mode, result.Tls));
        Assert.Equal(lab.HostB.Id, result.Vm.HostId);
        Assert.NotNull(result.DowntimeMs);
        Assert.True(result.BytesTransferred > 16L * 1024 * 1024 / 2, "memory and disk were sent");

        // B runs it from a folder on its own datastore; A has neither the VM nor its folder any more; one QEMU in all.
        var record = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(result.Vm.DatastoreId, record.DatastoreId);
        var after = await lab.AgentB.Api.GetVmAsync(record.HostLocalId!);
        Assert.Equal("local", after.Datastore);
        Assert.Equal("poweredOn", after.PowerState);
        Assert.StartsWith(localOfB, after.Folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(before.Folder), "the source folder is deleted after switch-over");
        Assert.Equal(1, lab.QemuCount(vm));

        // It keeps writing and ticking on B; the serial log, copied across, holds its whole history: one boot, +1 ticks.
        var atMove = DiskRecords.Count(await lab.SerialAsync(vm.Id));
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DiskRecords.Count(l) >= atMove + 50, Timeout, "50 more records on host B");
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "every tick is the previous one plus one, across hosts");
        Assert.DoesNotContain("dwrite: write", log, StringComparison.Ordinal);

        // Every record the guest reported written, before and after the move, is on B's copy of the disk.
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        var written = DiskRecords.Count(await lab.SerialAsync(vm.Id));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(DiskRecords.Expected(written))), Convert.ToHexString(SHA256.HashData(await ReadRecordsAsync(Path.Combine(after.Folder, after.Disks[0].Path), written))));
        await lab.DeleteAsync(vm);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SharedNothing_PoweredOffVm_DisksCopiedToAnotherHost_ContentIdentical_BootsThere(bool tls)
    {
        var vm = await lab.CreateRunningAsync(tls ? "nothing-cold-tls" : "nothing-cold", disks: [new VmDiskRequest("32M")], datastore: "local");
        await lab.WaitForTickAsync(vm.Id, 3);
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var dataDisk = Path.Combine(before.Folder, before.Disks[0].Path);
        foreach (var write in new[] { "write -P 0x5a 0 6M", "write -P 0xc3 20M 3M", "write -P 0x11 31M 1M" })
        {
            using var io = Process.Start("qemu-io", ["-f", before.Disks[0].Format, "-c", write, dataDisk])!;
            await io.WaitForExitAsync();
            Assert.Equal(0, io.ExitCode);
        }

        var hashBefore = await RawHashAsync(dataDisk);
        var history = await lab.SerialAsync(vm.Id);
        var localOfB = (await lab.AgentB.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;

        var accepted = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id, lab.LocalOfB) { Tls = tls ? true : null });
        Assert.Equal("VirtualMachine.relocate", accepted.As<TaskDto>(HttpStatusCode.Accepted).DescriptionId);
        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(accepted, Timeout);
        Assert.Equal(("cold", lab.HostB.Id, tls), (result.Mode, result.Vm.HostId, result.Tls));
        Assert.True(result.BytesTransferred >= 32L * 1024 * 1024, $"both disks copied ({result.BytesTransferred} bytes)");

        // B has it, powered off, in a folder of its own datastore, with the same bytes; A has neither VM nor folder.
        var record = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(("poweredOff", result.Vm.DatastoreId), (record.PowerState, record.DatastoreId));
        var after = await lab.AgentB.Api.GetVmAsync(record.HostLocalId!);
        Assert.Equal(("local", "poweredOff"), (after.Datastore, after.PowerState));
        Assert.StartsWith(localOfB, after.Folder, StringComparison.Ordinal);
        Assert.Equal(hashBefore, await RawHashAsync(Path.Combine(after.Folder, after.Disks[0].Path)));
        Assert.False(Directory.Exists(before.Folder), "the source's copy is deleted once B has the VM");
        Assert.DoesNotContain(await lab.AgentA.Api.ListVmsAsync(), v => v.Name == vm.Name);
        Assert.Empty((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        Assert.Equal(0, lab.QemuCount(vm));

        // Its console history came along; it boots on B.
        Assert.StartsWith(history, await lab.SerialAsync(vm.Id), StringComparison.Ordinal);
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        await lab.AssertRunsOnAsync(vm, lab.HostB);
        Assert.Equal(2, TinyGuestLog.CountBoots(await lab.SerialAsync(vm.Id)));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task SharedNothing_PoweredOffVm_CancelledMidCopy_StaysOnItsHostWithItsFiles_DestinationCleaned()
    {
        var vm = await lab.CreateRunningAsync("nothing-cold-cancel", disks: [new VmDiskRequest("32M")], powerOn: false, datastore: "local");
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var dataDisk = Path.Combine(before.Folder, before.Disks[0].Path);
        using (var io = Process.Start("qemu-io", ["-f", before.Disks[0].Format, "-c", "write -P 0x77 0 24M", dataDisk])!)
        {
            await io.WaitForExitAsync();
            Assert.Equal(0, io.ExitCode);
        }

        var hashBefore = await RawHashAsync(dataDisk);
        var localOfB = (await lab.AgentB.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;

        // 1 MiB/s through 24 MiB: the cancel lands while the disk is copied; meanwhile A holds the VM (no power-on).
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id, lab.LocalOfB) { BandwidthMiBps = 1 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(
            async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(),
            t => t.State == "running" && t.ProgressDetail?.Contains("copying: disks", StringComparison.Ordinal) == true,
            Timeout,
            "the task reports the disks copying");
        Assert.True(Directory.Exists(Path.Combine(localOfB, "nothing-cold-cancel")), "the destination's copy is being made");
        var powerOn = await lab.AgentA.Api.SendAsync(HttpMethod.Post, $"/api/vms/{vm.HostLocalId}/power-on");
        Assert.Equal(HttpStatusCode.Conflict, powerOn.Status);

        (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("cancelled", done.State);

        // Still A's, with the same bytes; B kept nothing; A lets it power on again.
        var record = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(lab.HostA.Id, record.HostId);
        Assert.Equal(before.Folder, (await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!)).Folder);
        Assert.Equal(hashBefore, await RawHashAsync(dataDisk));
        await Eventually.GetAsync(() => Task.FromResult(Directory.Exists(Path.Combine(localOfB, "nothing-cold-cancel"))), exists => !exists, Timeout, "the destination's copy is deleted");
        Assert.Empty((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        Assert.DoesNotContain(await lab.AgentB.Api.ListVmsAsync(), v => v.Name == vm.Name);
        Assert.Equal(0, lab.QemuCount(vm));
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task SharedNothing_CancelledWhileMirroring_VmStaysOnItsHostAndFiles_DestinationCleaned()
    {
        var vm = await lab.CreateRunningWithDataAsync("nothing-cancel", "hyperion.diskwrite=50", "64M", filledMiB: 48, datastore: "local");
        await lab.WaitForTickAsync(vm.Id, 3);
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var localOfB = (await lab.AgentB.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;

        // 1 MiB/s through 48 MiB of data: the cancel lands while the disks are mirrored.
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id, lab.LocalOfB) { BandwidthMiBps = 1 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(
            async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(),
            t => t.State == "running" && t.ProgressDetail?.Contains("mirroring disks", StringComparison.Ordinal) == true,
            Timeout,
            "the task reports the disks mirroring");
        Assert.True(Directory.Exists(Path.Combine(localOfB, "nothing-cancel")), "the destination's copy is being made");
        Assert.NotNull(lab.IncomingQemu(vm));

        (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("cancelled", done.State);
        var after = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        Assert.Equal(before.Folder, after.Folder);
        Assert.Equal("poweredOn", after.PowerState);
        Assert.False(Directory.Exists(Path.Combine(localOfB, "nothing-cancel")), "the destination's copy is deleted");
        Assert.Null(lab.IncomingQemu(vm));
        Assert.Equal(1, lab.QemuCount(vm));
        await lab.AssertRunsOnAsync(vm, lab.HostA);

        // Its disk keeps working on A after the abandoned mirror.
        var records = DiskRecords.Count(await lab.SerialAsync(vm.Id));
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DiskRecords.Count(l) >= records + 20, Timeout, "20 more records on host A");
        Assert.DoesNotContain("dwrite: write", await lab.SerialAsync(vm.Id), StringComparison.Ordinal);
        await lab.DeleteAsync(vm);
    }

    /// <summary>SHA-256 of a qcow2 disk's guest-visible content.</summary>
    private static async Task<string> RawHashAsync(string qcow2)
    {
        using var raw = new TestDirectory("disk-raw");
        var image = Path.Combine(raw.Path, "disk.raw");
        using (var convert = Process.Start("qemu-img", ["convert", "-U", "-f", "qcow2", "-O", "raw", qcow2, image])!)
        {
            await convert.WaitForExitAsync();
            Assert.Equal(0, convert.ExitCode);
        }

        await using var file = File.OpenRead(image);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }

    /// <summary>The first <paramref name="count"/> records of a qcow2 disk, read from outside.</summary>
    private static async Task<byte[]> ReadRecordsAsync(string qcow2, int count)
    {
        using var raw = new TestDirectory("records-raw");
        var image = Path.Combine(raw.Path, "disk.raw");
        using (var convert = Process.Start("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", qcow2, image])!)
        {
            await convert.WaitForExitAsync();
            Assert.Equal(0, convert.ExitCode);
        }

        var actual = new byte[count * 4096];
        await using var file = File.OpenRead(image);
        await file.ReadExactlyAsync(actual);
        return actual;
    }
}
