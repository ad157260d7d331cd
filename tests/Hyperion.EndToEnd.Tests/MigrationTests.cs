using System.Net;
using System.Text.Json;
using Hyperion.Contracts;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.EndToEnd.Tests;

/// <summary>
/// vMotion through a real Center between two real host agents sharing a datastore, with real tiny guests (TCG):
/// there and back with the serial ticks never restarting, cancel mid-flight, the destination dying at both levels
/// (its QEMU, its agent), bad input, a cold migration and two at once.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class MigrationTests(MigrationLab lab) : IClassFixture<MigrationLab>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RunningVm_MigratedThereAndBack_TicksNeverRestart_NumbersRecorded()
    {
        var vm = await lab.CreateRunningAsync("travel-live");
        var before = await lab.WaitForTickAsync(vm.Id, 5);

        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id))).As<TaskDto>(HttpStatusCode.Accepted);
        Assert.Equal("VirtualMachine.migrate", task.DescriptionId);
        Assert.True(task.Cancellable);
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.True(done.State == "success", $"{done.State}: {done.Error?.Message}");
        var result = done.Result!.Value.Deserialize<VmMigrationResultDto>(JsonDefaults.Options)!;
        Assert.Equal("live", result.Mode);
        Assert.Equal((lab.HostA.Id, lab.HostB.Id), (result.SourceHostId, result.DestinationHostId));
        Assert.Equal(lab.HostB.Id, result.Vm.HostId);
        Assert.True(result.DowntimeMs is >= 0 && result.QemuDowntimeMs is >= 0 && result.SwitchOverMs is >= 0, "downtime measured");
        Assert.Equal("source", result.SwitchedOverBy); // the source started it on B directly, no round trip through the Center
        Assert.True(result.DowntimeFromVcpuEvents, "the downtime is the guest's whole pause, from QEMU's vCPU stop (A) and run (B) stamps");
        Assert.True(result.TotalTimeMs > 0 && result.BytesTransferred > 0 && result.Passes >= 1, $"total {result.TotalTimeMs} ms, {result.BytesTransferred} bytes, {result.Passes} passes");

        // The inventory moved atomically: the Center, host B and host A agree.
        var moved = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal((lab.HostB.Id, "poweredOn"), (moved.HostId, moved.PowerState));
        Assert.Equal("poweredOn", (await lab.AgentB.Api.GetVmAsync(moved.HostLocalId!)).PowerState);
        Assert.DoesNotContain(await lab.AgentA.Api.ListVmsAsync(), v => v.Name == "travel-live");
        Assert.Equal(1, lab.QemuCount(vm));

        // The guest noticed nothing: the same boot, its ticks carry on from where they were, through the Center.
        var after = await lab.WaitForTickAsync(vm.Id, before + 10);
        var events = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/events?object={vm.Id}&limit=50")).As<PageDto<CenterEventDto>>().Items;
        Assert.Contains(events, e => e.Type == "vm.migrated" && e.TaskId == task.Id && e.Message.Contains("downtime", StringComparison.Ordinal));

        // And back to A, by the CLI's path (a host address this time).
        var back = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(
            await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostA.Id, Priority: "normal")), Timeout);
        Assert.Equal(lab.HostA.Id, back.Vm.HostId);
        await lab.WaitForTickAsync(vm.Id, after + 10);
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "every tick is the previous one plus one: the guest never restarted and no line was lost");
        Assert.Equal(1, lab.QemuCount(vm));
        await lab.DeleteAsync(vm);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(0)] // as fast as the vCPU can write
    public async Task DirtyingGuest_MigratedLive_NoPageGoesStale(int rateMiBps)
    {
        // The guest rewrites 32 MiB at the given rate and checks every page still holds what it last wrote there.
        // On QEMU 7.2 + TCG this failed in most runs (stale pages, crashed guest kernels) until the TCG RAM size
        // workaround (QemuArgvBuilder.TcgMigrationSafetyKiB, ADR 0008).
        var vm = await lab.CreateRunningAsync($"travel-dirty-{rateMiBps}", $"hyperion.dirty=32 hyperion.dirty_rate={rateMiBps}");
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DirtyPasses(l) >= 2, Timeout, "two checked passes before the migration");
        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)), Timeout);
        Assert.Equal(lab.HostB.Id, result.Vm.HostId);
        var passesAtSwitch = DirtyPasses(await lab.SerialAsync(vm.Id));
        var log = await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DirtyPasses(l) >= passesAtSwitch + 3 || l.Contains("mismatch", StringComparison.Ordinal), Timeout, "three checked passes on the destination");
        Assert.DoesNotContain("mismatch", log, StringComparison.Ordinal);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task DirtyingGuest_NotConverging_SwitchesToPostcopy_NoPageGoesStale()
    {
        // Capped at 4 MiB/s while the guest rewrites 32 MiB at 64 MiB/s, pre-copy cannot finish: after 2 s the
        // source switches to post-copy (opt-in) and the destination runs the guest, pulling the pages it lacks.
        var vm = await lab.CreateRunningAsync("travel-postcopy", "hyperion.dirty=32 hyperion.dirty_rate=64");
        await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DirtyPasses(l) >= 2, Timeout, "two checked passes before the migration");
        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(
            await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { Postcopy = true, PostcopyAfterSeconds = 2, BandwidthMiBps = 4 }), Timeout);
        Assert.True(result.Postcopy, "the migration finished in post-copy");
        Assert.Equal(lab.HostB.Id, result.Vm.HostId);
        var passesAtSwitch = DirtyPasses(await lab.SerialAsync(vm.Id));
        var log = await Eventually.GetAsync(() => lab.SerialAsync(vm.Id), l => DirtyPasses(l) >= passesAtSwitch + 3 || l.Contains("mismatch", StringComparison.Ordinal), Timeout, "three checked passes on the destination");
        Assert.DoesNotContain("mismatch", log, StringComparison.Ordinal);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        Assert.Equal(1, lab.QemuCount(vm));
        var events = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/events?object={vm.Id}&limit=50")).As<PageDto<CenterEventDto>>().Items;
        Assert.Contains(events, e => e.Type == "vm.migrated" && e.Message.Contains("post-copy", StringComparison.Ordinal));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task RunningVm_MigratedOverTls_AndBackInTheClear()
    {
        var vm = await lab.CreateRunningAsync("travel-tls");
        await lab.WaitForTickAsync(vm.Id, 3);
        var there = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { Tls = true }), Timeout);
        Assert.True(there.Tls, "the source QEMU sent over TLS");
        await lab.AssertRunsOnAsync(vm, lab.HostB);

        // QEMU keeps migration parameters: the next, plain migration must not inherit TLS (nor fail on it).
        var back = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostA.Id)), Timeout);
        Assert.False(back.Tls);
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        var again = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { Tls = true }), Timeout);
        Assert.True(again.Tls);
        var ticks = TinyGuestLog.Ticks(await lab.SerialAsync(vm.Id));
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "ticks +1 across three moves");

        // No key is left on either host once the streams are set up.
        Assert.Empty(Directory.GetDirectories(lab.AgentA.Data.Path, "migration-tls", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(lab.AgentB.Data.Path, "migration-tls", SearchOption.AllDirectories));
        await lab.DeleteAsync(vm);
    }

    private static int DirtyPasses(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, @"dirty: pass (\d+) ok").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    [Fact]
    public async Task Cancelled_MidFlight_VmKeepsRunningOnSource_DestinationCleaned()
    {
        var vm = await lab.CreateRunningAsync("travel-cancel");
        await lab.WaitForTickAsync(vm.Id, 3);

        // 1 MiB/s: the 128 MiB guest would take minutes, so the cancel lands mid-stream, with progress seen on the way.
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 1 })).As<TaskDto>(HttpStatusCode.Accepted);
        var running = await Eventually.GetAsync(
            async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(),
            t => t.State == "running" && t.ProgressDetail?.Contains("sent", StringComparison.Ordinal) == true,
            Timeout,
            "the migration task reports memory sent");
        Assert.Matches("pass \\d+", running.ProgressDetail!);
        Assert.Equal(2, lab.QemuCount(vm));

        // While it migrates, the source refuses other operations on the VM (the Center queues them behind the task).
        var hostLocal = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>().HostLocalId!;
        Assert.Equal("vm.invalid-state", (await lab.AgentA.Api.PowerAsync(hostLocal, "power-off")).Problem().Code);

        // B's switch-over endpoint (for the source, without credentials) starts nothing without the arrival's token.
        var arrival = Assert.Single((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        using (var anonymous = HostAgentProcess.CreateHttpClient(lab.AgentB.BaseAddress, lab.AgentB.Fingerprint, null, null))
        {
            foreach (var token in new[] { null, "0123456789abcdef" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/migrations/incoming/{arrival.MigrationId}/switchover");
                if (token is not null)
                {
                    request.Headers.Add("X-Hyperion-Switchover-Token", token);
                }

                using var response = await anonymous.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        Assert.NotNull(lab.IncomingQemu(vm));
        (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("cancelled", done.State);
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        Assert.Equal(1, lab.QemuCount(vm));
        var events = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/events?object={vm.Id}&limit=50")).As<PageDto<CenterEventDto>>().Items;
        Assert.Contains(events, e => e.Type == "vm.migration-failed" && e.Message.Contains("cancelled", StringComparison.Ordinal));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task DestinationQemuDies_MidFlight_VmKeepsRunningOnSource_TaskSaysWhy()
    {
        var vm = await lab.CreateRunningAsync("travel-qemu-dies");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        await Eventually.GetAsync(
            () =>
            {
                if (lab.IncomingQemu(vm) is { } pid)
                {
                    try
                    {
                        System.Diagnostics.Process.GetProcessById(pid).Kill();
                    }
                    catch (ArgumentException)
                    {
                        // Gone already (QEMU's daemonizing parent).
                    }
                }

                return Task.FromResult(lab.IncomingQemu(vm));
            },
            pid => pid is null,
            Timeout,
            "the destination's QEMU killed");

        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("error", done.State);
        Assert.Equal("migration.failed", done.Error!.Code);
        Assert.Contains("keeps running on", done.Error.Message, StringComparison.Ordinal);
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task DestinationAgentKilled_MidFlight_VmRunsOnSource_OrphanKilledWhenAgentReturns()
    {
        var vm = await lab.CreateRunningAsync("travel-agent-dies");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        await lab.AgentB.KillAsync();
        try
        {
            // The QEMUs carry on without the agent; at switch-over the Center cannot tell B to run the VM, so A takes it back.
            var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
            Assert.Equal("error", done.State);
            Assert.True(done.Error!.Code == "migration.failed", $"{done.Error.Code}: {done.Error.Message}");
            await lab.AssertRunsOnAsync(vm, lab.HostA);
        }
        finally
        {
            await lab.AgentB.RestartAsync();
        }

        // B's agent, back, kills the paused QEMU it was preparing: the guest exists once.
        await Eventually.GetAsync(() => Task.FromResult(lab.QemuCount(vm)), n => n == 1, Timeout, "only the source's QEMU is left");
        Assert.Empty(await lab.AgentB.Api.ListVmsAsync());
        await lab.WaitForHostConnectedAsync(lab.HostB);
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task CenterKilled_MidFlight_AfterRestart_VmRunsOnSource_DestinationCleaned()
    {
        var vm = await lab.CreateRunningAsync("travel-center-dies");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        await lab.Center.KillAsync();

        // Without its Center the migration goes on streaming; the paused incoming QEMU waits on B.
        Assert.NotNull(lab.IncomingQemu(vm));
        await lab.Center.RestartAsync();

        // The task is recorded as interrupted; the reconciler finds the orphaned migration, cleans B and cancels on A.
        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal(("error", "task.interrupted"), (done.State, done.Error!.Code));
        await Eventually.GetAsync(() => Task.FromResult((lab.QemuCount(vm), lab.IncomingQemu(vm))), s => s == (1, null), Timeout, "B's incoming QEMU is gone");
        await Eventually.GetAsync(lab.AgentA.Api.ListMigrationsAsync, m => m.Outgoing.Count == 0 && m.Incoming.Count == 0, Timeout, "nothing under way on A");
        Assert.Empty((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        Assert.Empty(await lab.AgentB.Api.ListVmsAsync());
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        var ticks = TinyGuestLog.Ticks(await lab.SerialAsync(vm.Id));
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "the guest never stopped");
        var events = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/events?object={vm.Id}&limit=100")).As<PageDto<CenterEventDto>>();
        Assert.Contains(events.Items, e => e.Message.Contains("lost its task", StringComparison.Ordinal));
        await lab.DeleteAsync(vm);
    }

    [Theory]
    [InlineData(false)] // B's agent was down too when the stream completed: nobody ran it on B; the reconciler resumes it on A
    [InlineData(true)] // the source started it on B itself at the end of the stream: the record follows it to B, A lets go
    public async Task CenterDown_StreamCompletesMeanwhile_AfterRestart_VmRunsExactlyOnce(bool destinationFinished)
    {
        var vm = await lab.CreateRunningAsync($"travel-orphan-{(destinationFinished ? "finished" : "paused")}");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 8 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        await lab.Center.KillAsync();
        if (!destinationFinished)
        {
            // B's agent goes as well: A cannot start the guest there when the stream completes.
            await lab.AgentB.KillAsync();
        }

        // Without the Center the stream completes: the guest waits paused on A; B runs it (told by A) or holds it paused.
        await Eventually.GetAsync(lab.AgentA.Api.ListMigrationsAsync, m => m.Outgoing.Any(o => o.Status == "completed"), Timeout, "the stream completed on A");
        if (destinationFinished)
        {
            await Eventually.GetAsync(lab.AgentB.Api.ListVmsAsync, vms => vms.Any(v => v.Name == vm.Name && v.PowerState == "poweredOn"), Timeout, "A started it on B");
            Assert.Empty((await lab.AgentB.Api.ListMigrationsAsync()).Incoming);
        }
        else
        {
            Assert.NotNull(lab.IncomingQemu(vm));
            await lab.AgentB.RestartAsync();
        }

        await lab.Center.RestartAsync();
        var host = destinationFinished ? lab.HostB : lab.HostA;
        // One QEMU left: A's (taken back; B's arrival killed), or B's (it runs the guest; A's paused copy quit).
        await Eventually.GetAsync(() => Task.FromResult((lab.QemuCount(vm), lab.IncomingQemu(vm) is not null)), s => s == (1, destinationFinished), Timeout, "one QEMU left, on the right host");
        await Eventually.GetAsync(lab.AgentA.Api.ListMigrationsAsync, m => m.Outgoing.Count == 0, Timeout, "nothing under way on A");
        await lab.AssertRunsOnAsync(vm, host);
        var record = (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{vm.Id}")).As<CenterVmDto>();
        Assert.Equal(vm.Id, record.Id);
        Assert.Equal(destinationFinished ? 1 : 0, (await lab.AgentB.Api.ListVmsAsync()).Count(v => v.Name == vm.Name));
        Assert.Equal(destinationFinished ? 0 : 1, (await lab.AgentA.Api.ListVmsAsync()).Count(v => v.Name == vm.Name));
        var log = await lab.SerialAsync(vm.Id);
        Assert.Equal(1, TinyGuestLog.CountBoots(log));
        var ticks = TinyGuestLog.Ticks(log);
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "ticks +1: the guest was paused, never restarted");
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task SourceAgentKilled_MidFlight_VmKeepsRunningOnSource_Once()
    {
        var vm = await lab.CreateRunningAsync("travel-source-agent-dies");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        await lab.AgentA.KillAsync();
        try
        {
            // The Center loses the source: it throws the destination away, which ends the stream; A's QEMU runs on.
            var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
            Assert.Equal("error", done.State);
            await Eventually.GetAsync(() => Task.FromResult(lab.IncomingQemu(vm)), pid => pid is null, Timeout, "B's incoming QEMU is gone");
            Assert.Equal(1, lab.QemuCount(vm));
        }
        finally
        {
            await lab.AgentA.RestartAsync();
        }

        // A's agent, back, adopts the VM still running; nothing is left under way; it exists once.
        await lab.WaitForHostConnectedAsync(lab.HostA);
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        Assert.Empty((await lab.AgentA.Api.ListMigrationsAsync()).Outgoing);
        Assert.Equal(1, lab.QemuCount(vm));
        Assert.Equal(1, TinyGuestLog.CountBoots(await lab.SerialAsync(vm.Id)));
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task StreamStalls_DestinationFrozen_TimeLimitCancelsCleanly_VmRunsOnSource()
    {
        // A frozen destination (SIGSTOP: its socket stops reading, as with a cut link) stalls the stream; at the time
        // limit the source cancels, the destination is thrown away and the guest never stopped on the source.
        var vm = await lab.CreateRunningAsync("travel-stall");
        await lab.WaitForTickAsync(vm.Id, 3);
        var task = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 2, TimeLimitSeconds = 8 })).As<TaskDto>(HttpStatusCode.Accepted);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{task.Id}")).As<TaskDto>(), t => t.Progress >= 3, Timeout, "the stream flows");
        var incoming = lab.IncomingQemu(vm) ?? throw new InvalidOperationException("no incoming QEMU on B");
        System.Diagnostics.Process.Start("kill", ["-STOP", incoming.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

        var done = await lab.Admin.WaitTaskAsync(task.Id, Timeout);
        Assert.Equal("error", done.State);
        Assert.Contains("did not converge within 8 s", done.Error!.Message, StringComparison.Ordinal);
        await Eventually.GetAsync(() => Task.FromResult(lab.IncomingQemu(vm)), pid => pid is null, Timeout, "the frozen destination QEMU is gone");
        Assert.Equal(1, lab.QemuCount(vm));
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        var ticks = TinyGuestLog.Ticks(await lab.SerialAsync(vm.Id));
        Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "the guest never stopped");
        await lab.DeleteAsync(vm);
    }

    [Fact]
    public async Task BadInput_RefusedBeforeAnythingMoves()
    {
        var vm = await lab.CreateRunningAsync("travel-bad");
        async Task<ProblemDto> RefusedAsync(VmMigrateRequest request, HttpStatusCode status, string? path = null)
        {
            var response = await lab.Admin.SendAsync(HttpMethod.Post, path ?? $"/api/vms/{vm.Id}/migrate", request);
            Assert.Equal(status, response.Status);
            return response.Problem();
        }

        Assert.Equal("host.not-found", (await RefusedAsync(new VmMigrateRequest("host-999"), HttpStatusCode.NotFound)).Code);
        Assert.Equal("request.invalid", (await RefusedAsync(new VmMigrateRequest(null), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("request.invalid", (await RefusedAsync(new VmMigrateRequest(lab.HostB.Id, Priority: "urgent"), HttpStatusCode.BadRequest)).Code);
        var stall = await RefusedAsync(new VmMigrateRequest(lab.HostB.Id) { StallSeconds = 0 }, HttpStatusCode.BadRequest);
        Assert.Contains("stallSeconds must be 1–3600", stall.Detail + string.Join(' ', stall.Errors?.Select(e => e.Message) ?? []), StringComparison.Ordinal);
        Assert.Equal("migration.same-host", (await RefusedAsync(new VmMigrateRequest(lab.HostA.Id), HttpStatusCode.Conflict)).Code);
        Assert.Equal("vm.not-found", (await RefusedAsync(new VmMigrateRequest(lab.HostB.Id), HttpStatusCode.NotFound, "/api/vms/vm-99999/migrate")).Code);
        Assert.Equal("datastore.not-found", (await RefusedAsync(new VmMigrateRequest(lab.HostB.Id, Datastore: "elsewhere"), HttpStatusCode.UnprocessableEntity)).Code);
        Assert.Equal("request.invalid", (await RefusedAsync(new VmMigrateRequest(lab.HostB.Id, Datastore: lab.LocalOfB) { Postcopy = true }, HttpStatusCode.BadRequest)).Code);

        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/hosts/{lab.HostB.Id}/enter-maintenance"));
        try
        {
            var maintenance = await RefusedAsync(new VmMigrateRequest(lab.HostB.Id), HttpStatusCode.Conflict);
            Assert.Equal("host.in-maintenance", maintenance.Code);
        }
        finally
        {
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/hosts/{lab.HostB.Id}/exit-maintenance"));
        }

        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/suspend"));
        Assert.Equal("vm.invalid-state", (await RefusedAsync(new VmMigrateRequest(lab.HostB.Id), HttpStatusCode.Conflict)).Code);
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/resume"));

        // A VM on host A's local datastore cannot be reached from B.
        var local = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = lab.HostA.Id,
            Spec = new VmCreateRequest { Name = "travel-local", Image = "tiny", MemoryMiB = 128 },
        }));
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{local.Id}/migrate", new VmMigrateRequest(lab.HostB.Id))).Problem().Code, c => c == "migration.incompatible", Timeout, "a local datastore refused");

        // Nothing moved, nothing was left on B.
        Assert.Empty(await lab.AgentB.Api.ListVmsAsync());
        await lab.AssertRunsOnAsync(vm, lab.HostA);
        Assert.Equal(1, lab.QemuCount(vm));
        await lab.DeleteAsync(vm);
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{local.Id}"));
    }

    [Fact]
    public async Task DestinationWithoutMemoryOrNetwork_RefusedBeforeAnythingMoves()
    {
        // Host B gives its VMs less memory than this VM was promised: it may not run there.
        var info = await lab.AgentB.Api.HostInfoAsync();
        Assert.Equal(MigrationLab.MemoryOfB, info.MemoryMiB);
        Assert.InRange(info.MemoryAvailableMiB, 0, MigrationLab.MemoryOfB);
        var big = await lab.CreateRunningAsync("travel-big", memoryMiB: MigrationLab.MemoryOfB + 256);
        var noMemory = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{big.Id}/migrate", new VmMigrateRequest(lab.HostB.Id))).Problem();
        Assert.Equal("host.no-capacity", noMemory.Code);
        Assert.Contains("travel-big", noMemory.Detail, StringComparison.Ordinal);
        Assert.Contains($"{MigrationLab.MemoryOfB + 256} MiB", noMemory.Detail, StringComparison.Ordinal);

        // What B's VMs were given counts, touched or not: a running 128 MiB guest takes 128 MiB of B's memory away.
        var small = await lab.CreateRunningAsync("travel-small");
        await lab.WaitForTickAsync(small.Id, 1);
        await CenterTasks.SucceedsAsync(lab.Admin, await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{small.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)), Timeout);
        Assert.InRange((await lab.AgentB.Api.HostInfoAsync()).MemoryAvailableMiB, 0, MigrationLab.MemoryOfB - 128);

        // A network host B does not have: the bridge the VM's NIC joins is gone (as if never created on B).
        CenterVmDto bridged;
        string bridge;
        using (var network = TestBridgeNetwork.Create())
        {
            bridge = network.Bridge;
            bridged = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
            {
                Host = lab.HostA.Id,
                Spec = new VmCreateRequest { Name = "travel-bridged", Image = "tiny", MemoryMiB = 128, Datastore = MigrationLab.SharedDatastore, Nics = [new VmNicRequest(network.Bridge)] },
            }));
        }

        Assert.DoesNotContain(bridge, (await lab.AgentB.Api.HostInfoAsync()).Networks!);
        Assert.Contains("user", (await lab.AgentB.Api.HostInfoAsync()).Networks!);
        var noNetwork = (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{bridged.Id}/migrate", new VmMigrateRequest(lab.HostB.Id))).Problem();
        Assert.Equal("migration.incompatible", noNetwork.Code);
        Assert.Contains($"no network '{bridge}'", noNetwork.Detail, StringComparison.Ordinal);

        // Nothing moved: both stayed on A, and B holds only the VM that did move.
        await lab.AssertRunsOnAsync(big, lab.HostA);
        Assert.Equal(lab.HostA.Id, (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/vms/{bridged.Id}")).As<CenterVmDto>().HostId);
        Assert.Equal(["travel-small"], (await lab.AgentB.Api.ListVmsAsync()).Select(v => v.Name));
        Assert.Equal(1, lab.QemuCount(big));
        await lab.DeleteAsync(big);
        await lab.DeleteAsync(small);
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Delete, $"/api/vms/{bridged.Id}"));
    }

    [Fact]
    public async Task ClusterCpuBaseline_GivenToVmsAtPowerOn_TheyMoveWithIt_UnrunnableModelRefused()
    {
        var path = $"/api/clusters/{lab.Cluster.Id}/cpu-baseline";

        // A model TCG cannot run here (QEMU reports missing features) is refused, naming the hosts; nothing changes.
        var refused = await lab.Admin.SendAsync(HttpMethod.Put, path, new ClusterCpuBaselineRequest("Haswell-v1"));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("host.cpu-unsupported", refused.Problem().Code);
        Assert.Contains(lab.HostA.Id, refused.Problem().Detail, StringComparison.Ordinal);
        Assert.Contains(lab.HostB.Id, refused.Problem().Detail, StringComparison.Ordinal);
        Assert.Equal("request.invalid", (await lab.Admin.SendAsync(HttpMethod.Put, path, new ClusterCpuBaselineRequest("host"))).Problem().Code);
        Assert.Null((await lab.AgentA.Api.HostInfoAsync()).Acceleration.CpuBaseline);

        var set = (await lab.Admin.SendAsync(HttpMethod.Put, path, new ClusterCpuBaselineRequest("Westmere-v1"))).As<ClusterDto>();
        Assert.Equal("Westmere-v1", set.CpuBaseline);
        try
        {
            var listed = (await lab.Admin.SendAsync(HttpMethod.Get, "/api/clusters?name=cl-motion")).As<PageDto<ClusterDto>>();
            Assert.Equal("Westmere-v1", Assert.Single(listed.Items).CpuBaseline);
            foreach (var agent in new[] { lab.AgentA, lab.AgentB })
            {
                var info = await agent.Api.HostInfoAsync();
                Assert.Equal(("Westmere-v1", "Westmere-v1"), (info.Acceleration.CpuBaseline, info.Acceleration.VmCpuModel));
            }

            // A VM powered on now gets the baseline CPU; it moves to B with it and runs there with the same CPU.
            var vm = await lab.CreateRunningAsync("travel-evc");
            await lab.WaitForTickAsync(vm.Id, 3);
            var onA = await lab.AgentA.Api.GetVmAsync(vm.HostLocalId!);
            Assert.Equal("Westmere-v1", onA.CpuModel);
            Assert.Equal("Westmere-v1", MigrationLab.QemuCpuModel(onA.Pid!.Value));
            var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)), Timeout);
            var onB = await lab.AgentB.Api.GetVmAsync(result.Vm.HostLocalId!);
            Assert.Equal("Westmere-v1", onB.CpuModel);
            Assert.Equal("Westmere-v1", MigrationLab.QemuCpuModel(onB.Pid!.Value));
            await lab.AssertRunsOnAsync(vm, lab.HostB);

            // Baseline cleared: the running VM keeps its CPU until its next power-on, and still moves back to A.
            Assert.Null((await lab.Admin.SendAsync(HttpMethod.Put, path, new ClusterCpuBaselineRequest(null))).As<ClusterDto>().CpuBaseline);
            Assert.Equal("max", (await lab.AgentA.Api.HostInfoAsync()).Acceleration.VmCpuModel);
            var back = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostA.Id)), Timeout);
            Assert.Equal("Westmere-v1", (await lab.AgentA.Api.GetVmAsync(back.Vm.HostLocalId!)).CpuModel);
            await lab.AssertRunsOnAsync(vm, lab.HostA);
            var ticks = TinyGuestLog.Ticks(await lab.SerialAsync(vm.Id));
            Assert.True(ticks.Zip(ticks.Skip(1)).All(p => p.Second == p.First + 1), "ticks +1 across both moves");

            // Power-cycled, it takes the host's default CPU again.
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-off"));
            await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
            Assert.Equal("max", (await lab.AgentA.Api.GetVmAsync(back.Vm.HostLocalId!)).CpuModel);
            await lab.DeleteAsync(vm);
        }
        finally
        {
            await lab.Admin.SendAsync(HttpMethod.Put, path, new ClusterCpuBaselineRequest(null));
        }
    }

    [Fact]
    public async Task PoweredOffVm_MigratedCold_PowersOnOnItsNewHost()
    {
        var vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = lab.HostA.Id,
            Spec = new VmCreateRequest { Name = "travel-cold", Image = "tiny", MemoryMiB = 128, Datastore = MigrationLab.SharedDatastore },
        }));
        var result = await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)), Timeout);
        Assert.Equal("cold", result.Mode);
        Assert.Equal(lab.HostB.Id, result.Vm.HostId);
        Assert.DoesNotContain(await lab.AgentA.Api.ListVmsAsync(), v => v.Name == "travel-cold");
        Assert.Equal("travel-cold", (await lab.AgentB.Api.GetVmAsync(result.Vm.HostLocalId!)).Name);

        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        await lab.WaitForTickAsync(vm.Id, 1);
        await lab.DeleteAsync(result.Vm);
    }

    [Fact]
    public async Task FiveMigrationsAtOnce_FifthQueuesUntilASlotFrees()
    {
        // Four slots per host (vSphere's default for vMotion here): the fifth migration to B waits as a queued task.
        var vms = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => lab.CreateRunningAsync($"travel-slot-{i}")));
        foreach (var vm in vms)
        {
            await lab.WaitForTickAsync(vm.Id, 2);
        }

        var tasks = new List<TaskDto>();
        foreach (var vm in vms)
        {
            // Throttled to 1 MiB/s: each holds its slot for a long while.
            tasks.Add((await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id) { BandwidthMiBps = 1 })).As<TaskDto>(HttpStatusCode.Accepted));
        }

        async Task<TaskDto[]> StatesAsync() => await Task.WhenAll(tasks.Select(async t => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{t.Id}")).As<TaskDto>()));
        var states = await Eventually.GetAsync(StatesAsync, s => s.Count(t => t.State == "running" && t.Progress >= 2) == 4 && s.Count(t => t.State == "queued") == 1, Timeout, "four migrating, one queued");
        var queued = states.Single(t => t.State == "queued");
        Assert.Equal(tasks[4].Id, queued.Id);

        // A slot frees (one is cancelled): the queued migration starts.
        (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{tasks[0].Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        await Eventually.GetAsync(async () => (await lab.Admin.SendAsync(HttpMethod.Get, $"/api/tasks/{queued.Id}")).As<TaskDto>(), t => t.State == "running", Timeout, "the fifth migration runs");
        foreach (var task in tasks.Skip(1))
        {
            (await lab.Admin.SendAsync(HttpMethod.Post, $"/api/tasks/{task.Id}/cancel")).EnsureStatus(HttpStatusCode.OK);
        }

        var done = await Task.WhenAll(tasks.Select(t => lab.Admin.WaitTaskAsync(t.Id, Timeout)));
        Assert.All(done, d => Assert.Equal("cancelled", d.State));
        foreach (var vm in vms)
        {
            await Eventually.GetAsync(() => Task.FromResult(lab.QemuCount(vm)), n => n == 1, Timeout, $"{vm.Name}: its source QEMU alone");
            Assert.Null(lab.IncomingQemu(vm));
            await lab.DeleteAsync(vm);
        }
    }

    [Fact]
    public async Task BridgedNic_MigratedBetweenTwoAgentsOfOneMachine_KeepsAnsweringPings()
    {
        // Both agents share this machine's network namespace: each gives the VM its own tap on the same bridge.
        using var network = TestBridgeNetwork.Create();
        var address = network.GuestAddress(3);
        var vm = await lab.Admin.SucceedsAsync<CenterVmDto>(await lab.Admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest
        {
            Host = lab.HostA.Id,
            Spec = new VmCreateRequest { Name = "travel-nic", Image = "tiny", MemoryMiB = 128, Datastore = MigrationLab.SharedDatastore, KernelArgs = $"ip={address}/24", Nics = [new VmNicRequest(network.Bridge)] },
        }));
        await lab.Admin.SucceedsAsync(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/power-on"));
        await Eventually.TrueAsync(() => Task.FromResult(network.Ping(address)), Timeout, $"ping {address} on host A");
        string[] Taps() => [.. Directory.GetDirectories($"/sys/class/net/{network.Bridge}/brif").Select(Path.GetFileName).OfType<string>().Where(Hyperion.Hypervisor.Networking.TapDevices.IsVmTap)];
        var onA = Assert.Single(Taps());

        await lab.Admin.SucceedsAsync<VmMigrationResultDto>(await lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{vm.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)), Timeout);
        await Eventually.TrueAsync(() => Task.FromResult(network.Ping(address)), Timeout, $"ping {address} on host B");
        var onB = Assert.Single(Taps());
        Assert.NotEqual(onA, onB);
        await lab.DeleteAsync(vm);
        Assert.Empty(Taps());
    }

    [Fact]
    public async Task TwoRunningVms_MigratedAtOnce_BothArrive()
    {
        var first = await lab.CreateRunningAsync("travel-pair-1");
        var second = await lab.CreateRunningAsync("travel-pair-2");
        await lab.WaitForTickAsync(first.Id, 3);
        await lab.WaitForTickAsync(second.Id, 3);
        var tasks = await Task.WhenAll(
            lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{first.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)),
            lab.Admin.SendAsync(HttpMethod.Post, $"/api/vms/{second.Id}/migrate", new VmMigrateRequest(lab.HostB.Id)));
        var done = await Task.WhenAll(tasks.Select(t => lab.Admin.WaitTaskAsync(t.As<TaskDto>(HttpStatusCode.Accepted).Id, Timeout)));
        Assert.All(done, d => Assert.True(d.State == "success", $"{d.State}: {d.Error?.Message}"));
        await lab.AssertRunsOnAsync(first, lab.HostB);
        await lab.AssertRunsOnAsync(second, lab.HostB);
        await lab.DeleteAsync(first);
        await lab.DeleteAsync(second);
    }
}
