using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Hyperion.Testing;

namespace Hyperion.Bench.Migration;

/// <summary>
/// The baseline: QEMU to QEMU on this machine, driven over QMP as a careful operator would — destination
/// <c>-incoming defer</c> + <c>migrate-incoming</c>; source with events and auto-converge on (never xbzrle),
/// downtime-limit 300 ms, bandwidth not capped, <c>migrate</c>, then <c>query-migrate</c> until it ends. The numbers are
/// QEMU's: total-time, downtime, ram.transferred, ram.dirty-sync-count. <see cref="MigrationMeasurement.EndToEndMs"/> is
/// the whole operation as the script sees it — from starting the destination QEMU to the stream completed (the
/// destination then runs the guest by itself): the same work a Hyperion migrate task does between its start and the
/// destination running the VM.
/// </summary>
internal static class RawMigration
{
    public const int DowntimeLimitMs = 300;

    /// <summary>1 TiB/s: QEMU's default cap is 32 MiB/s; this one is never reached.</summary>
    private const long UncappedBandwidth = 1L << 40;

    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(50);

    public static async Task<MigrationMeasurement> RunAsync(GuestWorkload workload, string baseCmdline, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        using var directory = new TestDirectory("hym");
        await using var source = RawQemuGuest.Start(directory.Path, "src", workload, baseCmdline, incoming: false);
        await using var sourceQmp = await ConnectAsync(source, cancellationToken);
        var before = await SerialWait.UntilAsync(
            () => Task.FromResult(Alive(source).ReadSerial()), log => GuestLog.IsReady(log, workload), workload.ReadyTimeout, "raw source guest ready", cancellationToken);

        // End to end from here: the destination QEMU is part of the operation.
        var endToEnd = Stopwatch.StartNew();
        await using var destination = RawQemuGuest.Start(directory.Path, "dst", workload, baseCmdline, incoming: true);
        await using var destinationQmp = await ConnectAsync(destination, cancellationToken);
        var uri = $"tcp:127.0.0.1:{FreePort.Next()}";
        await destinationQmp.ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = uri }, cancellationToken);
        await sourceQmp.ExecuteAsync("migrate-set-capabilities", new JsonObject
        {
            ["capabilities"] = new JsonArray(Capability("events"), Capability("auto-converge")),
        }, cancellationToken);
        await sourceQmp.ExecuteAsync("migrate-set-parameters", new JsonObject
        {
            ["downtime-limit"] = DowntimeLimitMs,
            ["max-bandwidth"] = UncappedBandwidth,
        }, cancellationToken);

        before = source.ReadSerial();
        var lastTickBefore = GuestLog.LastTick(before);
        var dirtyRate = workload.Dirtying ? GuestLog.DirtyRate(before, workload.WorkingSetMiB) : null;
        var clock = Stopwatch.StartNew();
        await sourceQmp.ExecuteAsync("migrate", new JsonObject { ["uri"] = uri }, cancellationToken);

        JsonNode info;
        while (true)
        {
            info = await sourceQmp.ExecuteAsync("query-migrate", null, cancellationToken) ?? new JsonObject();
            var status = (string?)info["status"];
            if (status == "completed")
            {
                break;
            }

            if (status is "failed" or "cancelled")
            {
                return MigrationMeasurement.Failed($"QEMU: migration {status}: {(string?)info["error-desc"]}", clock.Elapsed.TotalMilliseconds);
            }

            if (clock.Elapsed > timeLimit)
            {
                await sourceQmp.ExecuteAsync("migrate_cancel", null, cancellationToken);
                return MigrationMeasurement.Failed(
                    $"not converged in {timeLimit.TotalSeconds:F0} s ({Long(info["ram"]?["dirty-sync-count"])} passes, {Long(info["ram"]?["remaining"]) / 1048576} MiB remaining, throttle {Long(info["cpu-throttle-percentage"])}%)",
                    clock.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(PollPeriod, cancellationToken);
        }

        var clientMs = clock.Elapsed.TotalMilliseconds;
        var endToEndMs = endToEnd.Elapsed.TotalMilliseconds;

        // QEMU reports "completed" a moment before it fills in total-time and downtime.
        for (var i = 0; i < 40 && (Long(info["total-time"]) == 0 || info["downtime"] is null); i++)
        {
            await Task.Delay(PollPeriod, cancellationToken);
            info = await sourceQmp.ExecuteAsync("query-migrate", null, cancellationToken) ?? info;
        }

        // The guest's whole pause, from QEMU's own stamps (one host clock): the source stopping the vCPUs for the final
        // pass → the destination running them (it starts by itself once the stream has loaded). QEMU's "downtime" ends
        // at the source's end of stream and leaves the destination's part out.
        double? pauseMs = null;
        for (var i = 0; i < 100 && pauseMs is null; i++)
        {
            var state = (string?)(await destinationQmp.ExecuteAsync("query-status", null, cancellationToken))?["status"];
            var stop = sourceQmp.Events.LastOrDefault(e => e.Name == "STOP");
            var resume = destinationQmp.Events.FirstOrDefault(e => e.Name == "RESUME");
            if (stop.Name is not null && resume.Name is not null)
            {
                pauseMs = (resume.At - stop.At).TotalMilliseconds;
            }
            else if (state != "running" || resume.Name is null)
            {
                await Task.Delay(PollPeriod, cancellationToken);
            }
        }

        var completedAt = destination.ReadSerial().Length;
        var (after, verified) = await SerialWait.TryUntilAsync(
            () => Task.FromResult(destination.ReadSerial()), log => GuestLog.IsVerified(log[Math.Min(completedAt, log.Length)..], workload), workload.VerifyTimeout, cancellationToken);
        return new MigrationMeasurement
        {
            TotalTimeMs = Long(info["total-time"]),
            DowntimeMs = Long(info["downtime"]),
            GuestPauseMs = pauseMs,
            BytesTransferred = Long(info["ram"]?["transferred"]),
            Passes = Long(info["ram"]?["dirty-sync-count"]),
            ClientMs = clientMs,
            EndToEndMs = endToEndMs,
            GuestDirtyMiBps = dirtyRate,
            Guest = GuestLog.Analyze(after, lastTickBefore, workload, verified),
        };
    }

    private static async Task<QmpConnection> ConnectAsync(RawQemuGuest guest, CancellationToken cancellationToken)
    {
        try
        {
            return await QmpConnection.ConnectAsync(guest.QmpSocket, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            throw new InvalidOperationException($"QEMU (pid {guest.Pid}) QMP not reachable: {ex.Message}; stderr: {guest.Stderr}", ex);
        }
    }

    private static RawQemuGuest Alive(RawQemuGuest guest) =>
        guest.HasExited ? throw new InvalidOperationException($"QEMU (pid {guest.Pid}) exited: {guest.Stderr}") : guest;

    private static JsonObject Capability(string name) => new() { ["capability"] = name, ["state"] = true };

    private static long Long(JsonNode? node) => node is null ? 0 : (long)double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
