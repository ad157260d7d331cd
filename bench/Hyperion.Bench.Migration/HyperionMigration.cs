using System.Diagnostics;
using System.Net;
using Hyperion.Contracts.Center;
using Hyperion.Contracts.Vms;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// Ours: the same guest created and powered on through the Center on one host, then <c>POST /api/vms/{id}/migrate</c>
/// to the other (202 + task, followed until it ends); the numbers are the task's result (<see cref="MigrationTaskResult"/>),
/// the guest is judged from its serial console read through the Center. The VM is deleted afterwards.
/// </summary>
internal static class HyperionMigration
{
    public static async Task<MigrationMeasurement> RunAsync(HyperionEstate estate, GuestWorkload workload, string name, TimeSpan timeLimit, TextWriter log, CancellationToken cancellationToken)
    {
        var admin = estate.Admin;
        var spec = new VmCreateRequest
        {
            Name = name,
            Cpus = 1,
            MemoryMiB = workload.SizeMiB,
            Datastore = HyperionEstate.Datastore,
            Image = "tiny",
            KernelArgs = workload.KernelArgs,
        };
        var vm = await admin.SucceedsAsync<CenterVmDto>(
            await admin.SendAsync(HttpMethod.Post, "/api/vms", new CenterVmCreateRequest { Host = estate.Source.Id, Spec = spec }), TimeSpan.FromMinutes(2));
        try
        {
            return await MigrateAsync(admin, vm.Id, estate.Destination.Id, workload, timeLimit, cancellationToken);
        }
        finally
        {
            await DeleteAsync(admin, vm.Id, log);
        }
    }

    private static async Task<MigrationMeasurement> MigrateAsync(HostApi admin, string vmId, string destinationHostId, GuestWorkload workload, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        await admin.SucceedsAsync(await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vmId}/power-on"), TimeSpan.FromMinutes(2));
        var before = await SerialWait.UntilAsync(() => SerialAsync(admin, vmId), log => GuestLog.IsReady(log, workload), workload.ReadyTimeout, "source guest ready (via the Center)", cancellationToken);
        var lastTickBefore = GuestLog.LastTick(before);
        var dirtyRate = workload.Dirtying ? GuestLog.DirtyRate(before, workload.WorkingSetMiB) : null;

        var clock = Stopwatch.StartNew();
        // The raw baseline's parameters, spelled out: downtime limit 300 ms, bandwidth not capped, the same time limit.
        var request = new VmMigrateRequest(destinationHostId)
        {
            DowntimeLimitMs = RawMigration.DowntimeLimitMs,
            BandwidthMiBps = 0,
            TimeLimitSeconds = (int)timeLimit.TotalSeconds,
        };
        var accepted = await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vmId}/migrate", request);
        if (accepted.Status != HttpStatusCode.Accepted)
        {
            return MigrationMeasurement.Failed($"POST /api/vms/{{id}}/migrate answered {(int)accepted.Status}: {Short(accepted.Body)}");
        }

        // The Center gives up by itself after its own time limit; a little more here so its answer is what is recorded.
        var task = await admin.WaitAsync(accepted, timeLimit + TimeSpan.FromMinutes(2));
        var measurement = new MigrationMeasurement { ClientMs = clock.Elapsed.TotalMilliseconds, GuestDirtyMiBps = dirtyRate };
        if (task.State != "success")
        {
            return measurement with { Error = $"migrate task {task.Id} ended {task.State}: {task.Error?.Code} {task.Error?.Message}" };
        }

        measurement = MigrationTaskResult.Read(task.Result, measurement);
        var completedAt = (await SerialAsync(admin, vmId)).Length;
        var (log, verified) = await SerialWait.TryUntilAsync(
            () => SerialAsync(admin, vmId), l => GuestLog.IsVerified(l[Math.Min(completedAt, l.Length)..], workload), workload.VerifyTimeout, cancellationToken);

        // The console may be the source's log continued (shared folder) or the destination's own: judge what follows
        // the last tick seen before the migration, or all of it when that tick is not there.
        var mark = Math.Max(log.LastIndexOf($"\ntick {lastTickBefore}\n", StringComparison.Ordinal), log.LastIndexOf($"\ntick {lastTickBefore}\r\n", StringComparison.Ordinal));
        var lineEnd = mark >= 0 ? log.IndexOf('\n', mark + 1) : -1;
        var after = lineEnd >= 0 ? log[(lineEnd + 1)..] : log;
        return measurement with { Guest = GuestLog.Analyze(after, lastTickBefore, workload, verified) };
    }

    private static async Task<string> SerialAsync(HostApi admin, string vmId)
    {
        var result = await admin.SendAsync(HttpMethod.Get, $"/api/vms/{vmId}/console/serial");
        result.EnsureStatus(HttpStatusCode.OK);
        return result.Body;
    }

    /// <summary>Power-off and delete, whatever state the migration left it in; what fails is reported, not thrown.</summary>
    private static async Task DeleteAsync(HostApi admin, string vmId, TextWriter log)
    {
        try
        {
            var off = await admin.SendAsync(HttpMethod.Post, $"/api/vms/{vmId}/power-off");
            if (off.Status == HttpStatusCode.Accepted && await admin.WaitAsync(off, TimeSpan.FromMinutes(1)) is { State: not "success" } failed)
            {
                await log.WriteLineAsync($"  note: powering {vmId} off ended {failed.State}: {failed.Error?.Message}");
            }

            // The Center learns the new power state from the host: wait for it rather than have the delete refused.
            await SerialWait.TryUntilAsync(
                async () => (await admin.SendAsync(HttpMethod.Get, $"/api/vms/{vmId}")).As<CenterVmDto>().PowerState,
                state => state != "poweredOn", TimeSpan.FromSeconds(30), CancellationToken.None);
            var task = await admin.WaitAsync(await admin.SendAsync(HttpMethod.Delete, $"/api/vms/{vmId}"), TimeSpan.FromMinutes(1));
            if (task.State != "success")
            {
                await log.WriteLineAsync($"  note: deleting {vmId} ended {task.State}: {task.Error?.Message} (its QEMU is killed when the agents stop)");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TimeoutException or TaskCanceledException)
        {
            await log.WriteLineAsync($"  note: deleting {vmId} failed: {Short(ex.Message)} (its QEMU is killed when the agents stop)");
        }
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
