namespace Hyperion.Domain.Vms;

/// <summary>A virtio disk. <see cref="Path"/> is relative to the VM folder, or to the datastore when it starts with <c>[datastore]</c>-style prefixes later.</summary>
public sealed record DiskSpec(string Path, long SizeBytes, string Format = "qcow2");
