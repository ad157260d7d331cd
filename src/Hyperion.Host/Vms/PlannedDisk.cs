namespace Hyperion.Host.Vms;

/// <summary>A disk to create (<see cref="SizeBytes"/> set) or to attach (an existing file), relative to the VM folder.</summary>
internal sealed record PlannedDisk(string Path, long? SizeBytes);
