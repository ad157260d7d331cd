namespace Hyperion.Domain.Vms;

/// <summary>A virtio disk. <see cref="Path"/> is relative to the VM folder, or to the datastore when it starts with <c>[datastore]</c>-style prefixes later.</summary>
/// <param name="Base">For a linked clone's disk: the template disk it is a copy-on-write overlay of, as written in the
/// qcow2 header (relative to the VM folder when both are on one datastore). Null for an independent disk.</param>
public sealed record DiskSpec(string Path, long SizeBytes, string Format = "qcow2", string? Base = null);
