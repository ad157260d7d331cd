using System.Globalization;
using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu;

/// <summary>
/// Full copies of a running VM's disks: each target image is opened as a node of its own (<c>blockdev-add</c>), then
/// one <c>transaction</c> starts a <c>blockdev-backup</c> (sync full) per disk, so all copies show the same instant;
/// QEMU's copy-before-write keeps the guest's later writes out of them. Zero areas stay sparse (detect-zeroes).
/// </summary>
public sealed partial class QemuVmInstance
{
    private static readonly TimeSpan BackupTimeout = TimeSpan.FromHours(6);

    public async Task BackupDisksAsync(IReadOnlyList<string> devices, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(targets);
        if (devices.Count != targets.Count || devices.Count == 0)
        {
            throw new ArgumentException("one target per disk is needed", nameof(targets));
        }

        var run = Guid.NewGuid().ToString("N")[..12];
        var jobs = devices.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"clone-{run}-{i}")).ToList();
        var added = new List<string>();
        var started = false;
        try
        {
            for (var i = 0; i < targets.Count; i++)
            {
                var node = BackupTargetNode(jobs[i]);
                await Monitor.ExecuteAsync("blockdev-add", new Dictionary<string, object>
                {
                    ["driver"] = "qcow2",
                    ["node-name"] = node,
                    ["discard"] = "unmap",
                    ["detect-zeroes"] = "unmap",
                    ["file"] = new Dictionary<string, object> { ["driver"] = "file", ["filename"] = targets[i] },
                }, cancellationToken: cancellationToken);
                added.Add(node);
            }

            var actions = devices.Select((device, i) => new
            {
                type = "blockdev-backup",
                data = new Dictionary<string, object>
                {
                    ["job-id"] = jobs[i],
                    ["device"] = device,
                    ["target"] = BackupTargetNode(jobs[i]),
                    ["sync"] = "full",
                    ["auto-dismiss"] = false,
                },
            }).ToArray();
            await Monitor.ExecuteAsync("transaction", new { actions }, cancellationToken: cancellationToken);
            started = true;
            await WaitForJobsAsync(jobs, cancellationToken);
        }
        catch (OperationCanceledException) when (started)
        {
            foreach (var job in jobs)
            {
                await TryMonitorAsync("job-cancel", new { id = job });
            }

            await WaitForJobsAsync(jobs, CancellationToken.None, throwOnError: false);
            throw;
        }
        finally
        {
            foreach (var node in added)
            {
                await TryMonitorAsync("blockdev-del", new Dictionary<string, object> { ["node-name"] = node });
            }
        }
    }

    /// <summary>Waits until every job concluded, dismisses them, and throws the first job's error.</summary>
    private async Task WaitForJobsAsync(IReadOnlyList<string> jobs, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var startedAt = _time.GetTimestamp();
        var pending = new HashSet<string>(jobs, StringComparer.Ordinal);
        string? firstError = null;
        while (pending.Count > 0)
        {
            var listed = await Monitor.ExecuteAsync("query-jobs", cancellationToken: cancellationToken);
            foreach (var job in pending.ToList())
            {
                var mine = listed.EnumerateArray().FirstOrDefault(j => j.TryGetProperty("id", out var id) && id.GetString() == job);
                if (mine.ValueKind == JsonValueKind.Undefined)
                {
                    pending.Remove(job);
                    continue;
                }

                if (mine.GetProperty("status").GetString() != "concluded")
                {
                    continue;
                }

                if (mine.TryGetProperty("error", out var error) && firstError is null)
                {
                    firstError = error.GetString();
                }

                await TryMonitorAsync("job-dismiss", new { id = job });
                pending.Remove(job);
            }

            if (pending.Count == 0)
            {
                break;
            }

            if (_time.GetElapsedTime(startedAt) > BackupTimeout)
            {
                throw new TimeoutException($"disk copy did not finish within {BackupTimeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        if (firstError is not null && throwOnError)
        {
            throw new QmpCommandException("blockdev-backup", "GenericError", firstError);
        }
    }

    private async Task TryMonitorAsync(string command, object arguments)
    {
        try
        {
            await Monitor.ExecuteAsync(command, arguments, cancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is QmpCommandException or QmpDisconnectedException or TimeoutException)
        {
            // Best effort: already gone, or QEMU went away.
        }
    }

    private static string BackupTargetNode(string jobId) => $"{jobId}-target";
}
