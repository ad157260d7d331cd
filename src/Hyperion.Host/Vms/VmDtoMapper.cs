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
                RestartPriority = Domain.Ha.HaRestartPriorityNames.Name(spec.RestartPriority),
                VmMonitoring = spec.VmMonitoring,
                VmMonitoringTimeoutSeconds = spec.VmMonitoringTimeoutSeconds,
            };
        }
    }

    public static string Describe(VmPowerState state) => state switch
    {
        VmPowerState.PoweredOff => "poweredOff",
        VmPowerState.PoweredOn => "poweredOn",
        VmPowerState.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
