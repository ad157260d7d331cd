using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu;

/// <summary>QEMU block jobs (commit, mirror): waiting for their end and reading their error.</summary>
public sealed partial class QemuVmInstance
{
    /// <summary>Longest a disk job may run (a copy of a large disk on slow storage).</summary>
    private static readonly TimeSpan JobTimeout = TimeSpan.FromHours(6);

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

            if (_time.GetElapsedTime(startedAt) > JobTimeout)
            {
                throw new TimeoutException($"QEMU block jobs did not finish within {JobTimeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        if (firstError is not null && throwOnError)
        {
            throw new QmpCommandException("block job", "GenericError", firstError);
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
}
