using System.Globalization;
using Hyperion.Hypervisor.Processes;

namespace Hyperion.Host.Ha;

/// <summary>
/// The body of <c>hyperion host ha-heartbeat</c>: a process apart from the agent (as vSphere's FDM is apart from
/// hostd), so that an agent crash does not stop the heartbeat and the master does not mistake a host whose agent died
/// — while its VMs run on — for a dead host. It only reports facts: the protected VMs whose QEMU process is alive.
/// </summary>
internal sealed class HeartbeatWriter(string dataDirectory, IProcessTable processes, TimeProvider time)
{
    private long _sequence = time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Writes one heartbeat; false when there is no plan any more (HA disabled: the process should exit).</summary>
    public bool Beat()
    {
        var plan = HeartbeatPlan.TryLoad(dataDirectory);
        if (plan is null)
        {
            return File.Exists(HeartbeatPlan.PathIn(dataDirectory));
        }

        var running = plan.Vms.Where(vm => QemuAlive(vm.PidFile)).Select(vm => vm.Uuid).ToList();
        var beat = new DatastoreHeartbeat(plan.HostId, ++_sequence, time.GetUtcNow(), plan.Isolated, running);
        foreach (var file in plan.Files)
        {
            try
            {
                beat.Write(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // That datastore is unreachable now; the others still carry the heartbeat.
            }
        }

        return true;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(HeartbeatPlan.TryLoad(dataDirectory)?.IntervalMs ?? 500);
        using var timer = new PeriodicTimer(interval, time);
        while (Beat() && await timer.WaitForNextTickAsync(cancellationToken))
        {
        }
    }

    private bool QemuAlive(string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !processes.IsAlive(pid))
            {
                return false;
            }

            return processes.ReadCommandLine(pid) is { Count: > 0 } argv && argv[0].Contains("qemu", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
