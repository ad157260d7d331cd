namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>A virtio-net NIC. <see cref="Network"/> is <c>user</c> (QEMU user networking), <c>none</c> (no backend) or a host bridge name.</summary>
public sealed record QemuNic(string Mac, string Network);
