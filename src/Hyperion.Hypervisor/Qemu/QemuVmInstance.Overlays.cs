using System.Globalization;
using System.Text.Json;
using Hyperion.Hypervisor.Qemu.Qmp;

namespace Hyperion.Hypervisor.Qemu;

/// <summary>
/// External overlays: one <c>transaction</c> of <c>blockdev-snapshot-sync</c> (mode existing, so the overlay keeps the
/// relative backing path it was created with) switches every disk at the same instant; <c>block-commit</c> of the active
/// layer into the recorded base node, then <c>job-complete</c>, merges a temporary overlay back and pivots onto the base.
/// </summary>
public sealed partial class QemuVmInstance
{
    public async Task<IReadOnlyList<string>> AddOverlaysAsync(IReadOnlyList<string> devices, IReadOnlyList<string> overlays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(overlays);
        if (devices.Count != overlays.Count || devices.Count == 0)
        {
            throw new ArgumentException("one overlay per disk is needed", nameof(overlays));
        }

        var bases = await ActiveNodesAsync(devices, cancellationToken);
        var actions = devices.Select((device, i) => new
        {
            type = "blockdev-snapshot-sync",
            data = new Dictionary<string, object>
            {
                ["device"] = device,
                ["snapshot-file"] = overlays[i],
                ["format"] = "qcow2",
                ["mode"] = "existing",
            },
        }).ToArray();
        await Monitor.ExecuteAsync("transaction", new { actions }, cancellationToken: cancellationToken);
        return bases.Select(b => b.Node).ToList();
    }

    public async Task CommitOverlaysAsync(IReadOnlyList<string> devices, IReadOnlyList<string> baseNodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(baseNodes);
        if (devices.Count != baseNodes.Count)
        {
            throw new ArgumentException("one base node per disk is needed", nameof(baseNodes));
        }

        var run = Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < devices.Count; i++)
        {
            // One disk after the other: each commit only carries what the guest wrote since the overlay was added.
            var job = string.Create(CultureInfo.InvariantCulture, $"commit-{run}-{i}");
            await Monitor.ExecuteAsync("block-commit", new Dictionary<string, object>
            {
                ["job-id"] = job,
                ["device"] = devices[i],
                ["base-node"] = baseNodes[i],
                ["auto-dismiss"] = false,
            }, cancellationToken: cancellationToken);
            if (await WaitForJobReadyAsync(job, cancellationToken))
            {
                await Monitor.ExecuteAsync("job-complete", new { id = job }, cancellationToken: cancellationToken);
            }

            await WaitForJobsAsync([job], cancellationToken);
        }
    }

    public async Task<IReadOnlyList<string>> ActiveImagesAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken) =>
        (await ActiveNodesAsync(devices, cancellationToken)).Select(n => n.File).ToList();

    /// <summary>The active layer (node name and file) of each device, from <c>query-block</c>.</summary>
    private async Task<List<(string Node, string File)>> ActiveNodesAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        var blocks = await Monitor.ExecuteAsync("query-block", cancellationToken: cancellationToken);
        var result = new List<(string, string)>();
        foreach (var device in devices)
        {
            var block = blocks.EnumerateArray().FirstOrDefault(b => b.TryGetProperty("device", out var d) && d.GetString() == device);
            if (block.ValueKind == JsonValueKind.Undefined || !block.TryGetProperty("inserted", out var inserted))
            {
                throw new InvalidOperationException($"QEMU has no disk '{device}'");
            }

            result.Add((inserted.GetProperty("node-name").GetString()!, inserted.GetProperty("image").GetProperty("filename").GetString()!));
        }

        return result;
    }

    /// <summary>Waits until the job is ready to complete (true), or has ended on its own (false: an error is read by
    /// <see cref="WaitForJobsAsync"/>).</summary>
    private async Task<bool> WaitForJobReadyAsync(string job, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetTimestamp();
        while (true)
        {
            var listed = await Monitor.ExecuteAsync("query-jobs", cancellationToken: cancellationToken);
            var mine = listed.EnumerateArray().FirstOrDefault(j => j.TryGetProperty("id", out var id) && id.GetString() == job);
            var status = mine.ValueKind == JsonValueKind.Undefined ? null : mine.GetProperty("status").GetString();
            if (status == "ready")
            {
                return true;
            }

            if (status is null or "concluded" or "aborting" or "null")
            {
                return false;
            }

            if (_time.GetElapsedTime(startedAt) > JobTimeout)
            {
                throw new TimeoutException($"merging the disk overlay did not finish within {JobTimeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }
    }
}
