using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>The guest agents of the running VMs, as <see cref="GuestAgentPoller"/> finds them.</summary>
internal sealed partial class VmService
{
    /// <summary>Running VMs with the guest agent channel (not while they arrive or leave by live migration: their guest is paused then).</summary>
    public IReadOnlyList<GuestAgentTarget> GuestAgentTargets()
    {
        var targets = new List<GuestAgentTarget>();
        lock (_vms)
        {
            foreach (var entry in _vms.Values)
            {
                lock (entry.Gate)
                {
                    if (entry.Spec.GuestAgent && entry.PowerState == VmPowerState.PoweredOn && entry.Pid is { } pid && entry.Migration is not { Holds: true })
                    {
                        targets.Add(new GuestAgentTarget(entry.Id, entry.Spec.Name, pid, entry.Paths.GuestAgent, entry.GuestAgent is { } last && last.Pid == pid ? last : null));
                    }
                }
            }
        }

        return targets;
    }

    /// <summary>Keeps a poll's result, unless the VM has meanwhile gone or runs in another QEMU.</summary>
    public void RecordGuestAgent(string id, GuestAgentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        VmEntry? entry;
        lock (_vms)
        {
            entry = _vms.GetValueOrDefault(id);
        }

        if (entry is null)
        {
            return;
        }

        lock (entry.Gate)
        {
            if (entry.Pid == state.Pid)
            {
                entry.GuestAgent = state;
            }
        }
    }
}
