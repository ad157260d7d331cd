namespace Hyperion.Hypervisor.Qemu.Launch;

public sealed record QemuDisk(string Path, string Format, bool ReadOnly = false);
