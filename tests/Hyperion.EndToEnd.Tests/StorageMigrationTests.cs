using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
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
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => Records(l) >= 50, Timeout, "50 records written before the move");
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
        var atMove = Records(await lab.SerialAsync(vm.Id));
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => Records(l) >= atMove + 50, Timeout, "50 more records after the move");
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "every tick is the previous one plus one, across the move");
        Assert.DoesNotContain("dwrite: write", log, StringComparison.Ordinal);

        // Pull the plug, then read the disk from outside: every record the guest said was written is there, intact.
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
        var written = Records(await lab.SerialAsync(vm.Id));
        using var raw = new TestDirectory("store-live-raw");
        var image = Path.Combine(raw.Path, "disk.raw");
        using (var convert = Process.Start("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", Path.Combine(after.Folder, after.Disks[0].Path), image])!)
        {
            await convert.WaitForExitAsync();
            Assert.Equal(0, convert.ExitCode);
        }

        var actual = new byte[written * 4096];
        await using (var file = File.OpenRead(image))
        {
            await file.ReadExactlyAsync(actual);
        }

        Assert.Equal(Convert.ToHexString(SHA256.HashData(Expected(written))), Convert.ToHexString(SHA256.HashData(actual)));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task Cancelled_MidCopy_VmKeepsItsFiles_CopyDeleted()
    {
        var vm = await lab.CreateRunningAsync("store-cancel", "hyperion.diskwrite=50", [new VmDiskRequest("64M")]);
        await lab.WaitForTickAsync(vm.Id, 3);
        var before = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
        var localPath = (await lab.AgentA.Api.HostInfoAsync()).Datastores.Single(d => d.Name == "local").Path;

        // 1 MiB/s through a 64 MiB disk: the cancel lands while it copies.
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
        var sharedNothing = await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id, $"local ({lab.HostB.Id})"));
        Assert.Equal("migration.incompatible", sharedNothing.Problem().Code);
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

    /// <summary>The highest N of the guest's <c>dwrite N</c> lines: records 0..N-1 are on its disk.</summary>
    private static int Records(string log) =>
        DwriteLine().Matches(log).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>What the tiny guest writes as records 0..<paramref name="count"/>-1: word w of record i is i·0x9E3779B97F4A7C15 ^ w.</summary>
    private static byte[] Expected(int count)
    {
        var bytes = new byte[count * 4096];
        for (var i = 0; i < count; i++)
        {
            for (var w = 0; w < 512; w++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((i * 4096) + (w * 8)), unchecked(((ulong)i * 0x9E3779B97F4A7C15UL) ^ (ulong)w));
            }
        }

        return bytes;
    }

    [GeneratedRegex(@"dwrite (\d+)")]
    private static partial Regex DwriteLine();
}
