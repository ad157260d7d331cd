using Hyperion.Contracts.Vms;
using Hyperion.Domain.Vms;

namespace Hyperion.Host.Vms;

/// <summary>The wire shape of a VM, read under its runtime lock so state, pid and accelerator agree.</summary>
internal static class VmDtoMapper
{
    public static VmDto ToDto(VmEntry entry)
    {
        lock (entry.Gate)
        {
            var spec = entry.Spec;
            return new VmDto
            {
                Id = entry.Id,
                Name = spec.Name,
                Uuid = spec.Uuid.ToString("D"),
                PowerState = Describe(entry.PowerState),
                Cpus = spec.Cpus,
                MemoryMiB = spec.MemoryMiB,
                Disks = spec.Disks.Select(d => new VmDiskDto(d.Path, d.SizeBytes, d.Format, d.Base)).ToList(),
                Nics = spec.Nics.Select(n => new VmNicDto(n.Mac, n.Network)).ToList(),
                Boot = new VmBootDto(spec.Boot.Kind.ToString().ToLowerInvariant(), spec.Boot.Image, spec.Boot.Kernel, spec.Boot.Initrd, spec.Boot.KernelArgs, spec.Boot.Iso),
                Datastore = entry.Registration.Datastore,
                Folder = entry.FolderPath,
                Acceleration = entry.Accelerator,
                CpuModel = entry.CpuModel,
                Pid = entry.Pid,
                PoweredOnAt = entry.PoweredOnAt,
                Template = spec.Template,
                LinkedTemplateUuid = spec.LinkedTemplate?.ToString("D"),
                LinkedCloneParent = VmService.HasFrozenImages(entry),
                Customized = spec.Seed is not null,
                GuestAgent = spec.GuestAgent,
                GuestAgentStatus = GuestAgentStatus(entry),
                RestartPriority = Domain.Ha.HaRestartPriorityNames.Name(spec.RestartPriority),
                VmMonitoring = spec.VmMonitoring,
                VmMonitoringTimeoutSeconds = spec.VmMonitoringTimeoutSeconds,
            };
        }
    }

    /// <summary>The agent's status while the VM runs with the channel (caller holds the gate).</summary>
    private static VmGuestAgentDto? GuestAgentStatus(VmEntry entry)
    {
        if (!entry.Spec.GuestAgent || entry.Pid is not { } pid || entry.PowerState == VmPowerState.PoweredOff)
        {
            return null;
        }

        return entry.GuestAgent is { } agent && agent.Pid == pid
            ? new VmGuestAgentDto(agent.Running ? VmGuestAgentStates.Running : VmGuestAgentStates.NotRunning, agent.Version, agent.HostName, agent.LastSeenAt)
            : new VmGuestAgentDto(VmGuestAgentStates.NotRunning, null, null, null);
    }

    public static string Describe(VmPowerState state) => state switch
    {
        VmPowerState.PoweredOff => "poweredOff",
        VmPowerState.PoweredOn => "poweredOn",
        VmPowerState.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
