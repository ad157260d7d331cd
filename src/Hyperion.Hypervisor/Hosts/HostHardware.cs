namespace Hyperion.Hypervisor.Hosts;

/// <summary>What the machine is: read from /proc and the QEMU binary.</summary>
public sealed record HostHardware(string CpuModel, IReadOnlyList<string> CpuFlags, int LogicalCpus, long MemoryMiB, string QemuVersion, bool KvmDevicePresent);
