using System.Net;
using Hyperion.Contracts;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// Snapshots on a real agent with a real tiny guest (TCG): a tree of memory and disk snapshots taken while it runs,
/// one deleted from the middle with the others still valid (qemu-img check clean), reverting to memory snapshots
/// resumes the guest at the tick it had (running, and from powered off), a disk snapshot leaves it powered off.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SnapshotTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HostApi Api => fixture.Api;

    [Fact]
    public async Task SnapshotTree_TakenWhileRunning_RevertsResumeAtTheirTick_DeleteInTheMiddleKeepsTheRest()
    {
        var vm = await Api.CreateTinyAsync("snapper", disks: new VmDiskRequest("16M"));
        await Api.PowerOkAsync("snapper", "power-on");
        await Api.WaitForTickAsync("snapper", 5);

        // s1: memory, at tick A (between the ticks seen just before and just after).
        var (s1, a) = await TakeAsync("s1", memory: true);
        Assert.Null(s1.ParentId);
        await Api.WaitForTickAsync("snapper", a.After + 10);
        var (s2, _) = await TakeAsync("s2", memory: false);
        Assert.Equal(s1.Id, s2.ParentId);
        var (s3, c) = await TakeAsync("s3", memory: true);
        Assert.Equal(s2.Id, s3.ParentId);
        await Api.WaitForTickAsync("snapper", c.After + 10);

        // s2 goes from the middle: s3 now hangs from s1; s3 stays current.
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/snapper/snapshots/s2")).EnsureStatus(HttpStatusCode.NoContent);
        var tree = (await Api.SendAsync(HttpMethod.Get, "/api/vms/snapper/snapshots")).As<SnapshotTreeDto>();
        Assert.Equal([(s1.Id, (int?)null), (s3.Id, s1.Id)], tree.Snapshots.Select(s => (s.Id, s.ParentId)));
        Assert.Equal(s3.Id, tree.CurrentId);

        // Back to s1 while it runs: the guest continues from tick A, without a reboot.
        var resumed = await RevertAsync("s1", s1.Id);
        Assert.InRange(resumed, a.Before, a.After + 2);

        // Powered off, the disk holds exactly s1 and s3, and is consistent.
        await Api.PowerOkAsync("snapper", "power-off");
        var disk = Path.Combine(vm.Folder, (await Api.GetVmAsync("snapper")).Disks[0].Path);
        var tags = await ExternalTool.QemuImgAsync("snapshot", "-l", disk);
        Assert.Contains("hy-snap-1", tags, StringComparison.Ordinal);
        Assert.Contains("hy-snap-3", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("hy-snap-2", tags, StringComparison.Ordinal);
        await ExternalTool.QemuImgAsync("check", disk);

        // From powered off, a memory snapshot starts the guest where it was (tick C), still without a reboot.
        resumed = await RevertAsync("s3", s3.Id);
        Assert.InRange(resumed, c.Before, c.After + 2);
        Assert.Equal("poweredOn", (await Api.GetVmAsync("snapper")).PowerState);

        // A disk snapshot taken now and reverted to: the VM is left powered off; it boots from those disks.
        var (s4, _) = await TakeAsync("s4", memory: false);
        Assert.Equal(s3.Id, s4.ParentId);
        var reverted = (await Api.SendAsync(HttpMethod.Post, "/api/vms/snapper/snapshots/s4/revert")).As<VmDto>();
        Assert.Equal("poweredOff", reverted.PowerState);
        await Api.PowerOkAsync("snapper", "power-on");
        await Eventually.GetAsync(() => Api.SerialAsync("snapper"), l => TinyGuestLog.CountBoots(l) == 2, TimeSpan.FromSeconds(90), "a fresh boot from the disk snapshot");

        var events = await Api.EventsAsync(vm.Id);
        Assert.Contains(events, e => e.Type == "vm.snapshot-reverted" && e.Message.Contains("'s1'", StringComparison.Ordinal));
        await Api.PowerOkAsync("snapper", "power-off");
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/snapper")).EnsureStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task BadInput_RefusedAndNothingChanges()
    {
        await Api.CreateTinyAsync("snap-bad", disks: new VmDiskRequest("8M"));
        await Api.CreateTinyAsync("snap-diskless");

        async Task<ProblemDto> RefusedAsync(HttpMethod method, string path, object? body, HttpStatusCode status)
        {
            var response = await Api.SendAsync(method, path, body);
            Assert.Equal(status, response.Status);
            return response.Problem();
        }

        Assert.Equal("vm.invalid-state", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-bad/snapshots", new SnapshotCreateRequest("mem") { Memory = true }, HttpStatusCode.Conflict)).Code);
        Assert.Equal("vm.invalid-state", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-diskless/snapshots", new SnapshotCreateRequest("none"), HttpStatusCode.Conflict)).Code);
        Assert.Equal("request.invalid", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-bad/snapshots", new SnapshotCreateRequest(" "), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("snapshot.not-found", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-bad/snapshots/nope/revert", null, HttpStatusCode.NotFound)).Code);
        Assert.Equal("snapshot.not-found", (await RefusedAsync(HttpMethod.Delete, "/api/vms/snap-bad/snapshots/7", null, HttpStatusCode.NotFound)).Code);
        Assert.Equal("vm.not-found", (await RefusedAsync(HttpMethod.Get, "/api/vms/nobody/snapshots", null, HttpStatusCode.NotFound)).Code);

        (await Api.SendAsync(HttpMethod.Post, "/api/vms/snap-bad/snapshots", new SnapshotCreateRequest("once"))).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal("request.invalid", (await RefusedAsync(HttpMethod.Post, "/api/vms/snap-bad/snapshots", new SnapshotCreateRequest("once"), HttpStatusCode.BadRequest)).Code);
        var tree = (await Api.SendAsync(HttpMethod.Get, "/api/vms/snap-bad/snapshots")).As<SnapshotTreeDto>();
        Assert.Equal(["once"], tree.Snapshots.Select(s => s.Name));
        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/api/vms/snap-diskless/snapshots")).As<SnapshotTreeDto>().Snapshots);

        // Copying its disks elsewhere (shared-nothing, Storage vMotion) would drop the internal snapshots: refused.
        var copy = await RefusedAsync(HttpMethod.Get, "/api/vms/snap-bad/migration/source", null, HttpStatusCode.Conflict);
        Assert.Equal("migration.incompatible", copy.Code);
        Assert.Contains("1 snapshot(s)", copy.Detail, StringComparison.Ordinal);

        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/snap-bad")).EnsureStatus(HttpStatusCode.NoContent);
        (await Api.SendAsync(HttpMethod.Delete, "/api/vms/snap-diskless")).EnsureStatus(HttpStatusCode.NoContent);
    }

    /// <summary>Takes a snapshot of the running <c>snapper</c>; returns it and the last ticks seen before and after.</summary>
    private async Task<(SnapshotDto Snapshot, (int Before, int After) Ticks)> TakeAsync(string name, bool memory)
    {
        var before = TinyGuestLog.LastTick(await Api.SerialAsync("snapper"));
        var snapshot = (await Api.SendAsync(HttpMethod.Post, "/api/vms/snapper/snapshots", new SnapshotCreateRequest(name) { Memory = memory })).As<SnapshotDto>(HttpStatusCode.Created);
        var after = TinyGuestLog.LastTick(await Api.SerialAsync("snapper"));
        Assert.Equal((name, memory), (snapshot.Name, snapshot.Memory));
        return (snapshot, (before, after));
    }

    /// <summary>Reverts <c>snapper</c>; returns the first tick the guest prints afterwards (minus one: the tick it had).</summary>
    private async Task<int> RevertAsync(string name, int id)
    {
        var before = await Api.SerialAsync("snapper");
        var (boots, offset) = (TinyGuestLog.CountBoots(before), before.Length);
        var vm = (await Api.SendAsync(HttpMethod.Post, $"/api/vms/snapper/snapshots/{name}/revert")).As<VmDto>();
        Assert.Equal("poweredOn", vm.PowerState);
        // Ticks the guest printed between reading the log and the revert come first; the revert shows as a step back.
        static IReadOnlyList<int> AfterRevert(string log, int offset)
        {
            var ticks = TinyGuestLog.Ticks(log[Math.Min(offset, log.Length)..]);
            var start = Enumerable.Range(1, Math.Max(0, ticks.Count - 1)).LastOrDefault(i => ticks[i] <= ticks[i - 1]);
            return ticks.Skip(start).ToList();
        }

        var log = await Eventually.GetAsync(() => Api.SerialAsync("snapper"), l => AfterRevert(l, offset).Count >= 3, TimeSpan.FromSeconds(60), $"ticks after reverting to {name}");
        var fresh = AfterRevert(log, offset);
        Assert.True(fresh.Zip(fresh.Skip(1)).All(p => p.Second == p.First + 1), $"the guest counts on from the snapshot: {string.Join(' ', fresh)}");
        Assert.Equal(boots, TinyGuestLog.CountBoots(log));
        Assert.Equal(id, (await Api.SendAsync(HttpMethod.Get, "/api/vms/snapper/snapshots")).As<SnapshotTreeDto>().CurrentId);
        return fresh[0] - 1;
    }
}
