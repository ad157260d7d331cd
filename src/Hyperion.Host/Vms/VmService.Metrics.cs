using Hyperion.Domain.Vms;
using Hyperion.Host.Metrics;

namespace Hyperion.Host.Vms;

internal sealed partial class VmService
{
    /// <summary>The VMs whose instance runs now (powered on or suspended), for the metrics sampler.</summary>
    public IReadOnlyList<RunningVm> RunningInstances()
    {
        var running = new List<RunningVm>();
        lock (_vms)
        {
            foreach (var entry in _vms.Values)
            {
                lock (entry.Gate)
                {
                    if (entry.PowerState != VmPowerState.PoweredOff && entry.Instance is { } instance)
                    {
                        running.Add(new RunningVm(entry.Id, instance));
                    }
                }
            }
        }

        return running;
    }
}
