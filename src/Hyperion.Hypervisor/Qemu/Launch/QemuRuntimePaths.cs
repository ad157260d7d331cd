namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>Where a running VM's sockets and logs live. Sockets sit in a short run directory (unix socket paths are limited to 107 bytes); logs sit in the VM folder.</summary>
public sealed record QemuRuntimePaths(string QmpSocket, string SerialSocket, string SerialLog, string VncSocket, string PidFile);
