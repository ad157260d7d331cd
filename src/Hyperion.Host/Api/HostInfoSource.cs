using Hyperion.Contracts.Hosts;
using Hyperion.Host.Acceleration;
using Hyperion.Host.Datastores;
using Hyperion.Host.Vms;
using Hyperion.Hypervisor.Drivers;
using Hyperion.Hypervisor.Hosts;

namespace Hyperion.Host.Api;

/// <summary>Assembles <see cref="HostInfoDto"/> from the hardware probe, the acceleration decision and live VM state.</summary>
internal sealed class HostInfoSource(
    HostHardware hardware,
    AccelerationState acceleration,
    DatastoreCatalog datastores,
    VmService vms,
    HostIdentity identity,
    IVmDriver driver)
{
    public HostInfoDto Describe()
    {
        var decision = acceleration.Decision;
        return new HostInfoDto
        {
            Name = Environment.MachineName,
            AgentVersion = typeof(HostInfoSource).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            CpuModel = hardware.CpuModel,
            CpuFlags = hardware.CpuFlags,
            Cores = hardware.LogicalCpus,
            MemoryMiB = hardware.MemoryMiB,
            MemoryAvailableMiB = vms.AvailableMemoryMiB(),
            Acceleration = new AccelerationDto(decision.Mode, decision.Requested, decision.Reason, decision.ProbeTime is { } t ? (long)t.TotalMilliseconds : null) { VmCpuModel = acceleration.VmCpuModel, CpuBaseline = acceleration.CpuBaseline, UsableCpuModels = acceleration.UsableCpuModels },
            Driver = driver.Name,
            QemuVersion = hardware.QemuVersion,
            CertificateFingerprint = identity.Fingerprint,
            Datastores = datastores.All.Select(DatastoreCatalog.Describe).ToList(),
            Networks = driver.Name == "simulated" ? ["user"] : ["user", .. Hypervisor.Networking.TapDevices.Bridges()],
            VmCount = vms.List().Count,
            RunningVms = vms.RunningVmNames(),
            StartedAt = identity.StartedAt,
        };
    }
}
