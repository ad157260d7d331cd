namespace Hyperion.Domain.Vms;

/// <summary>A virtio-net NIC. <see cref="Network"/> is <c>none</c> (link with no backend traffic), <c>user</c> (QEMU user networking) or a host bridge name.</summary>
public sealed record NicSpec(string Mac, string Network);
