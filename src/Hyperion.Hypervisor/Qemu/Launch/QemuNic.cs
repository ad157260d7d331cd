namespace Hyperion.Hypervisor.Qemu.Launch;

/// <summary>
/// A virtio-net NIC. <see cref="Network"/> is <c>user</c> (QEMU user networking), <c>none</c> (no backend, link down)
/// or a host bridge name, in which case <see cref="Tap"/> names the tap device the agent created on that bridge.
/// </summary>
public sealed record QemuNic(string Mac, string Network, string? Tap = null);
